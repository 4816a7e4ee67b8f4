from django.shortcuts import render

from core.pagecache import public_page
from reviews.views import paginate
from search.engines import search_results, with_reviews

PREVIEW = 5
# The overview ranks this many of a list's likeliest matches (see search_results).
SHORTLIST = 50
KINDS = ("films", "people", "reviews")


@public_page
def search(request):
    """
    Search films, people and reviews (see search.base); ``kind`` narrows to
    one list, paginated. Six queries for the overview on PostgreSQL (the words
    parsed, then the lists; the films and the people bring their reviews),
    four for a list; one fewer on SQLite, which parses nothing first.
    """
    q = " ".join(request.GET.get("q", "").split())[:100]
    kind = request.GET.get("kind")
    kind = kind if kind in KINDS else None
    context = {"q": q, "kind": kind, "kinds": KINDS}
    if q:
        results = search_results(q, shortlist=None if kind else SHORTLIST)
        if kind:
            context["page_obj"] = page = paginate(request, results[kind], per_page=20)
            if kind == "people":
                page.object_list = with_reviews(page.object_list)
        else:
            # One slice each, one row more than shown, to know whether "more" exists.
            previews = {name: list(qs[: PREVIEW + 1]) for name, qs in results.items()}
            previews["people"] = with_reviews(previews["people"])
            context["previews"] = [
                (name, rows[:PREVIEW], len(rows) > PREVIEW) for name, rows in previews.items()
            ]
            context["found"] = any(previews.values())
    return render(request, "search/search.html", context)
