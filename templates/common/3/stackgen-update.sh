#!/usr/bin/env bash
# Keeps this project on the current stackgen templates. Run weekly (and on demand) by
# .github/workflows/stackgen-update.yml; it runs by hand the same way.
#
# Up to date: nothing happens. An update that merges cleanly: it is committed on the branch
# `stackgen/revision-N`, pushed, and one pull request is opened for it (or the open one
# updated). An update that needs a person (conflicts, files it cannot merge): it is only
# planned, nothing is written, committed or pushed - conflict markers never reach a branch -
# and one issue lists the files and the commands to resolve them locally.
#
# Needs git, gh (authenticated, e.g. GH_TOKEN) and stackgen; STACKGEN is the command that runs
# stackgen (default `stackgen`), e.g. `npx --yes stackgen@^0`.
set -euo pipefail

read -r -a stackgen <<<"${STACKGEN:-stackgen}"
base=$(git rev-parse --abbrev-ref HEAD)

check=$(mktemp)
report=$(mktemp)
trap 'rm -f "$check" "$report"' EXIT

status=0
"${stackgen[@]}" check --json >"$check" || status=$?
case $status in
0)
    echo "stackgen: the project is up to date; nothing to do"
    exit 0
    ;;
4) ;;
*)
    echo "stackgen: check failed (exit $status)" >&2
    exit "$status"
    ;;
esac
revision=$(sed -n 's/^  "to": \([0-9][0-9]*\),$/\1/p' "$check")
branch="stackgen/revision-$revision"
title="Update to stackgen template revision $revision"

# Plan first: a project that needs a person is never touched, on any branch.
plan=$(mktemp)
trap 'rm -f "$check" "$report" "$plan"' EXIT
"${stackgen[@]}" update --dry-run --json --report "$report" >"$plan"
if ! grep -q '^  "conflicts": 0,$' "$plan" || grep -q '"reason": "not merged' "$plan"; then
    issue_title="stackgen: template revision $revision needs a person"
    number=$(gh issue list --state open --search "\"$issue_title\" in:title" --json number --jq '.[0].number // empty')
    if [ -n "$number" ]; then
        gh issue edit "$number" --body-file "$report"
        echo "stackgen: updated issue #$number"
    else
        gh issue create --title "$issue_title" --body-file "$report"
    fi
    exit 0
fi

git switch --quiet -C "$branch" "$base"
status=0
"${stackgen[@]}" update --commit --report "$report" || status=$?
if [ "$status" -ne 0 ]; then
    # Only tracked files: the update restores its own on failure; nothing else is touched.
    git reset --quiet --hard
    git switch --quiet "$base"
    echo "stackgen: update failed (exit $status)" >&2
    exit "$status"
fi
git push --quiet --force-with-lease origin "$branch"
number=$(gh pr list --head "$branch" --state open --json number --jq '.[0].number // empty')
if [ -n "$number" ]; then
    gh pr edit "$number" --title "$title" --body-file "$report"
    echo "stackgen: updated pull request #$number"
else
    gh pr create --base "$base" --head "$branch" --title "$title" --body-file "$report"
fi
git switch --quiet "$base"
