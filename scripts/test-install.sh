#!/usr/bin/env bash
# The README's install path, from a clean clone: `cargo install --path cli` puts `comon` in a
# bin folder, and the README's first command works there on the embedded SQLite example.
#
# To keep it cheap on CI this installs the debug profile (`--debug`) and builds in this checkout's
# target folder (CARGO_TARGET_DIR), so that only the workspace's own crates are compiled again
# (their paths are the clone's); a user's `cargo install --path cli` builds the release profile.
# COMON_INSTALL_RELEASE=1 installs the release profile instead (a cold, much longer build).
set -euo pipefail
cd "$(dirname "$0")/.."
workspace="$(pwd)"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

step() { printf '\n==> %s\n' "$*"; }

step "A clean clone of the committed tree (git clone of this checkout, no network)"
git clone --quiet --no-hardlinks "$workspace" "$scratch/clone"

profile=(--debug)
if [ "${COMON_INSTALL_RELEASE:-0}" = "1" ]; then
  profile=()
fi
step "cargo install --path cli ${profile[*]} --root <scratch> (target folder: $workspace/target)"
(
  cd "$scratch/clone"
  CARGO_TARGET_DIR="$workspace/target" cargo install --locked --quiet --path cli "${profile[@]}" --root "$scratch/root"
)
comon="$scratch/root/bin/comon"
if [ ! -x "$comon" ]; then
  echo "cargo install did not put comon in $scratch/root/bin" >&2
  exit 1
fi
"$comon" --version

step "The README's first command, with the installed comon on the PATH"
(
  cd "$scratch/clone"
  export PATH="$scratch/root/bin:$PATH"
  comon migrate dev --schema examples/blog/prisma/schema.prisma --name init | tee "$scratch/dev.txt"
  grep -q "Your database is now in sync with your schema." "$scratch/dev.txt"
  test -f examples/blog/prisma/dev.db
  comon migrate status --schema examples/blog/prisma/schema.prisma --json > "$scratch/status.json"
  node -e '
    const status = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (status.activeMigrationCount !== 1 || status.issues.length !== 0) {
      console.error("unexpected status", status);
      process.exit(1);
    }' "$scratch/status.json"
)
echo "cargo install --path cli works from a clean clone."
