import { sentrySvelteKit } from "@sentry/sveltekit";
import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig, loadEnv } from "vite";

export default defineConfig(({ mode }) => {
    const env = loadEnv(mode, process.cwd(), "");

    return {
        plugins: [sentrySvelteKit(), sveltekit()],
        server: {
            port: 3000,
            proxy: {
                "/back": { target: env.VITE_API_URL ?? "http://localhost:8000", changeOrigin: false },
            },
        },
    };
});
