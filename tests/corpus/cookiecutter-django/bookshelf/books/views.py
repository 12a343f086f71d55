from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from .models import Book


class BookListView(LoginRequiredMixin, ListView):
    model = Book


class BookDetailView(LoginRequiredMixin, DetailView):
    model = Book
