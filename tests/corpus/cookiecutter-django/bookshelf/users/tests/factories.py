from factory import Faker
from factory.django import DjangoModelFactory

from bookshelf.users.models import User


class UserFactory(DjangoModelFactory[User]):
    username = Faker("user_name")
    email = Faker("email")
    name = Faker("name")

    class Meta:
        model = User
        django_get_or_create = ["username"]
