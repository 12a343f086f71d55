"""deploy (MW8xx): three kinds of services, twelve-factor images built on modelw/base."""
