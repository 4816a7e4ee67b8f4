"""
A bovine-herd fediverse server (bovine, from PyPI) for tests/federation/test_peer.py.

    python tests/federation/bovine_peer.py PORT DATABASE

makes one account, ``@critic``, on ``http://127.0.0.1:PORT``, prints a JSON line
with its id and the secret (an Ed25519 key, for bovine's Moo-Auth-1) that lets a
client act as it, and serves until stopped.
"""

import asyncio
import json
import sys

from bovine.crypto import generate_ed25519_private_key, private_key_to_did_key
from bovine_herd import BovineHerd
from bovine_store import BovineAdminStore
from bovine_store.config import tortoise_config
from hypercorn.asyncio import serve
from hypercorn.config import Config
from quart import Quart
from tortoise import Tortoise


async def make_account(db_url, domain):
    await Tortoise.init(config=tortoise_config(db_url))
    await Tortoise.generate_schemas()
    store = BovineAdminStore(domain=domain)
    name = await store.register("critic")
    secret = generate_ed25519_private_key()
    await store.add_identity_string_to_actor(name, "tests", private_key_to_did_key(secret))
    actor = await store.actor_for_name(name)
    await Tortoise.close_connections()
    return actor.actor_object.id, secret


def main():
    port, database = int(sys.argv[1]), sys.argv[2]
    domain = f"http://127.0.0.1:{port}"
    db_url = f"sqlite://{database}"
    actor_id, secret = asyncio.run(make_account(db_url, domain))
    app = Quart(__name__)
    BovineHerd(app, db_url=db_url)
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.accesslog = None
    print(json.dumps({"actor_id": actor_id, "secret": secret, "domain": domain}), flush=True)
    asyncio.run(serve(app, config))


if __name__ == "__main__":
    main()
