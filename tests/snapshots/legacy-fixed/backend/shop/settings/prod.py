from model_w.env_manager import EnvManager
from model_w.preset.django import ModelWDjango

from .base import *  # noqa: F401,F403

with EnvManager(ModelWDjango()) as env:
    # Half-migrated to the preset: these overrides predate it.
    REDIS_URL = env.get("REDIS_URL", default="redis://localhost")
    STRIPE_KEY = env.get("STRIPE_KEY")
    SENDER_EMAIL = env.get("SENDER_EMAIL", default="shop@example.com")
    LANGUAGES = [("en", "English")]
    WAILER_EMAIL_TYPES = {
        "order-shipped": "shop.orders.emails.OrderShipped",
    }
