"""queue (MW3xx): no RabbitMQ; Celery on Redis, or Procrastinate."""
