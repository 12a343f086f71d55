"""Our preset: the agency's Model W preset plus Harbour's own pieces."""

from model_w.preset.django import ModelWDjango


class HarbourPreset(ModelWDjango):
    """Adds the GeoIP database path and the partner API client settings."""

    def pre_geoip(self, env):
        yield "GEOIP_PATH", env.get("GEOIP_PATH", default="/usr/share/GeoIP")

    def pre_partner_api(self, env):
        yield "PARTNER_API_URL", env.get("PARTNER_API_URL", default="https://partners.harbour.example/api/")
        yield "PARTNER_API_TIMEOUT", 10
