from django.dispatch import Signal

# Sent when a film import has written its last batch, with ``report`` (the
# import's reviews.importing.files.Report). Its writes are in bulk and send no save signals, so
# whatever keeps a copy of the catalogue (the search index) catches up here.
import_finished = Signal()
