"""
What keeps the index current: every save and delete of a film, credit, person
or review, and the end of a film import (whose bulk writes send no save
signals). Connected by SearchConfig.ready().
"""

from django.db.models.signals import post_delete, post_save

from people.models import Person
from reviews.models import Credit, Film, Review
from reviews.signals import import_finished
from search.engines import engine


def saved(sender, instance, **kwargs):
    if sender is Film:
        engine().index(films=[instance.pk])
    elif sender is Credit:
        engine().index(films=[instance.film_id])
    elif sender is Person:
        engine().index(people=[instance.pk])
    elif sender is Review:
        engine().index(reviews=[instance.pk])


def imported(sender, **kwargs):
    engine().index_everything()


def connect():
    for model in (Film, Credit, Person, Review):
        post_save.connect(saved, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(saved, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    import_finished.connect(imported, dispatch_uid="search-import-finished")
