"""messaging (MW6xx): emails and SMS go through Wailer."""
