import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  // server: { proxy: { "/api": "http://localhost:8000" } },
  server: { proxy: { "/back": "http://localhost:8000" } },
});
