import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

export default defineConfig({
    plugins: [sveltekit()],
    server: {proxy: {"/back": {target: process.env.VITE_API_URL ?? "http://localhost:8000"}}},
});
