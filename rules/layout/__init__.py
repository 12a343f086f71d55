"""layout (MW1xx): the Django project in api/, the JS front in front/, one repository."""
