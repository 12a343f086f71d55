"""sentry (MW5xx): errors reach Sentry, from the back-end and the front."""
