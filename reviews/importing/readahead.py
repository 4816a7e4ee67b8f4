"""
Reading a catalogue file on a thread of its own, a few batches ahead of the
writer.

A catalogue import alternates between Python work (parsing the file, building
the batch's rows) and waiting for the database to write them. While the
writer waits, the database driver lets other Python threads run: a reader
thread then parses the next records, so the parsing costs no wall time of its
own on a machine with a second core. The queue between them is bounded, so
memory stays bounded too.
"""

import queue
import threading

_DONE = object()


def read_ahead(iterable, size):
    """
    Yield what ``iterable`` yields, in order, reading it on a thread of its own
    at most ``size`` items ahead. An exception raised while reading is raised
    here, at the item where it happened. When the consumer stops early (an
    error, a kill), the reader stops too and ``iterable`` is closed.
    """
    items = queue.Queue(maxsize=size)
    stop = threading.Event()

    def put(item):
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read():
        iterator = iter(iterable)
        try:
            for item in iterator:
                if not put((item, None)):
                    break
            else:
                put((_DONE, None))
        except BaseException as error:  # handed to the consumer, who raises it
            put((_DONE, error))
        finally:
            close = getattr(iterator, "close", None)
            if close:
                close()

    reader = threading.Thread(target=read, name="import-reader", daemon=True)
    reader.start()
    try:
        while True:
            item, error = items.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        reader.join(timeout=10)
