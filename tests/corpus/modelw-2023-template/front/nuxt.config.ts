import { defineNuxtConfig } from "nuxt/config";
import { defineModelWConfig } from "@model-w/preset-nuxt3";

export default defineNuxtConfig(
    defineModelWConfig((env) => ({
        siteName: "Tidewater",
        head: {
            meta: [{ name: "description", content: "Berth bookings" }],
        },
        apiUrl: env.getApiUrl(),
        sentryDsn: env.get("SENTRY_DSN", ""),
    }))
);
