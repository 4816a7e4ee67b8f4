# filmblog — the two commands a newcomer runs are `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/dev.lock
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-production demo demo-varnish varnish test test-postgres lint format lock run serve browser bench clean

install: $(STAMP)

# The virtual environment is rebuilt only when the lock changes.
$(STAMP): $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "filmblog needs Python 3.11 (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	touch $(STAMP)

# An app server: the production lock only (requirements/base.lock), no test or lint tools.
install-production:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' || \
		{ echo "filmblog needs Python 3.11 or later (set PYTHON=/path/to/python3)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/base.lock

demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Site:  http://$(HOST):$(PORT)/"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/  (the login is printed just above)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The demo behind Varnish (Debian's varnish and varnish-modules, installed by
# scripts/install-varnish.sh): http://$(HOST):6081/ (VARNISH_PORT) in front of
# runserver on $(PORT); edits purge Varnish by tag.
demo-varnish: install varnish
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	HOST=$(HOST) PORT=$(PORT) bash scripts/demo-varnish.sh

# Debian's Varnish and xkey, for demo-varnish and the Varnish tests (they skip without it).
varnish:
	bash scripts/install-varnish.sh

test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# The same suite against PostgreSQL (default 127.0.0.1:5432, user postgres).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/filmblog} \
		$(BIN)/python -m pytest -n auto --create-db $(PYTEST_ARGS)

# Debian's Chromium for the real-browser tests (they skip without it).
browser:
	bash scripts/install-browser.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-pin every dependency (transitive ones too) after editing pyproject.toml.
lock: install
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --universal \
		--generate-hashes --no-header -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --group dev --python-version 3.11 --universal \
		--generate-hashes --no-header -o requirements/dev.lock

run: install
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production: gunicorn, DEBUG off, hashed static files served by WhiteNoise,
# everything else from the environment (docs/deploy.md). Needs SECRET_KEY.
# MIGRATE=0 skips migrations (run them from one machine per release). Without
# object storage (AWS_STORAGE_BUCKET_NAME) this one server serves the uploads
# itself (SINGLE_SERVER_MEDIA=1; set it to 0 to serve them some other way).
serve: install
	@test -n "$$SECRET_KEY" || { echo "make serve runs with DEBUG off and needs SECRET_KEY (and ALLOWED_HOSTS, DATABASE_URL...): see docs/deploy.md"; exit 1; }
	@set -e; export DEBUG=0; \
	if [ -z "$$AWS_STORAGE_BUCKET_NAME" ]; then export SINGLE_SERVER_MEDIA=$${SINGLE_SERVER_MEDIA:-1}; fi; \
	$(BIN)/python manage.py collectstatic --no-input -v0; \
	if [ "$${MIGRATE:-1}" != "0" ]; then $(BIN)/python manage.py migrate --no-input; fi; \
	$(BIN)/python manage.py check --deploy; \
	exec $(BIN)/gunicorn -c filmblog/gunicorn.conf.py filmblog.wsgi

# Load run (gunicorn + PostgreSQL under wrk), scale table and in-process page times on
# synthetic catalogues, and the proxy run (Varnish in front, nginx's static file as the ceiling),
# written to bench/results.md; then the digest, import and federation benches. BENCH_ONLY picks
# some of load, scale, pages, proxy, digest, import, federation (comma-separated); see bench/run.py.
bench: install
	bash scripts/install-wrk.sh
	bash scripts/install-varnish.sh
	bash scripts/install-nginx.sh
	$(BIN)/python bench/run.py
	@case ",$${BENCH_ONLY:-digest}," in *,digest,*) $(BIN)/python bench/digest.py;; esac
	@case ",$${BENCH_ONLY:-import}," in *,import,*) $(BIN)/python bench/import_films.py;; esac
	@case ",$${BENCH_ONLY:-federation}," in *,federation,*) $(BIN)/python bench/federation.py;; esac

clean:
	rm -rf $(VENV) media db.sqlite3 staticfiles

# Digest throughput and peak memory for 50,000 subscribers (locmem mail backend);
# figures go to bench/digest-results.md.
.PHONY: bench-digest
bench-digest: install
	$(BIN)/python bench/digest.py
