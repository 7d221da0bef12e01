#!/usr/bin/env bash
# The checks every pull request gets, as one plain script that GitHub Actions, Gitea/Forgejo Actions,
# GitLab CI or any runner with Python 3.11+ can call.
#
# Trust: the code that judges a change comes from the base revision, never from the change. This script
# judges a TREE (JULI_TREE: the pull request's checkout, as data) with the code of the repository the
# script itself is in (its generator/). CI therefore runs the BASE revision's copy of this script:
#
#     git worktree add --detach judge "$BASE"        # or: actions/checkout of the base into judge/
#     pip install ./judge                            # the base revision's dependencies
#     JULI_TREE=$PWD JULI_AUTHOR=… JULI_BASE="$BASE" judge/tools/ci-check.sh
#
# and the CI configuration itself must come from the base too (GitHub and Gitea/Forgejo:
# pull_request_target; GitLab: a CI file in a project only the office can change) — see docs/trust.md.
# Run by hand in a checkout with JULI_BASE set and no JULI_TREE, the script hands over to the base
# revision's copy of itself the same way, so a local run judges as CI does.
#
#   1. juli check-changes   the author changed only their own organization's folders, with the base
#                           revision's maintainers, and only regular files (needs JULI_AUTHOR, JULI_BASE)
#   2. juli validate        every entry against its schema and the semantic rules
#   3. juli owners --check  .github/CODEOWNERS matches the maintainers (or is as at the base: the
#                           office's workflow regenerates it after the merge)
#      juli schemas --check schemas/ (editor schemas) matches the taxonomy
#   4. juli build           the whole site into $JULI_OUT, only when 1 and 2 passed (the site settings
#                           and page templates the build reads are then the base's or the office's)
#
# Environment:
#   JULI_TREE    the tree to judge (default: the repository this script is in)
#   JULI_FORMAT  text (default) or github (problems become annotations on the changed lines)
#   JULI_AUTHOR  account that opened the change, e.g. GitHub ${{ github.event.pull_request.user.login }},
#                Gitea/Forgejo the same; GitLab the merge request's author from the API (not
#                $GITLAB_USER_LOGIN: that is whoever started the pipeline), see docs/trust.md
#   JULI_BASE    base revision, e.g. ${{ github.event.pull_request.base.sha }} (on a push: the commit
#                before it, so CODEOWNERS may wait for the office's workflow), GitLab
#                $CI_MERGE_REQUEST_DIFF_BASE_SHA; the tree's history must hold it (fetch-depth 0)
#   JULI_OUT     output folder of the build (default: site/ in the tree)
#   JULI_PYTHON  the Python (with juli's dependencies) that runs this repository's code (default: its
#                .venv/bin/python if there is one, else python3)
#   JULI         command to run juli (default: this repository's code, `python3 -m generator` with the
#                Python of its .venv if there is one); a relative path is taken from the current folder
#
# Exit status: 0 when every step passed, 1 when a check failed, 2 on a setup problem.
set -uo pipefail
here=$(pwd)
code=$(cd "$(dirname "$0")/.." && pwd)  # the judging code: the repository this script belongs to
format=${JULI_FORMAT:-text}

from_here() {  # a folder given relative to where the script was called from
  case "$1" in /*) printf '%s' "$1" ;; *) printf '%s' "$here/$1" ;; esac
}

absolute() {  # a command's path given relative to where the script was called from (or, failing that, to $code)
  case "$1" in
    /*) printf '%s' "$1" ;;
    */*) if [ -e "$here/$1" ] || [ ! -e "$code/$1" ]; then printf '%s' "$here/$1"; else printf '%s' "$code/$1"; fi ;;
    *) printf '%s' "$1" ;;
  esac
}

python_of() {  # the Python of a juli command: `python -m generator`, or the venv of a `juli` script
  local first
  read -r first _ <<<"$1"
  first=$(absolute "$first")
  case "$first" in */*) ;; *) first=$(command -v "$first") || return 1 ;; esac
  case "${first##*/}" in python*) printf '%s' "$first" ;; *) printf '%s' "$(dirname "$first")/python" ;; esac
}

if [ -z "${JULI_TREE:-}" ] && [ -n "${JULI_BASE:-}" ] && [ -z "${JULI_HANDED_OVER:-}" ]; then
  # A run by hand in a checkout: hand over to the base revision's copy of this script and its code,
  # run by the same Python (its dependencies) but never by this checkout's code.
  judge=$(mktemp -d)
  trap 'rm -rf "$judge"' EXIT
  if ! git -C "$code" archive "$JULI_BASE" | tar -x -C "$judge"; then
    echo "ci-check: 无法从 git 取出基准版本 $JULI_BASE 的代码（需要完整的提交历史）。" >&2; exit 2
  fi
  if [ ! -x "$judge/tools/ci-check.sh" ]; then
    echo "ci-check: 基准版本 $JULI_BASE 中没有 tools/ci-check.sh。" >&2; exit 2
  fi
  if [ -n "${JULI:-}" ]; then export JULI_PYTHON="$(python_of "$JULI")"
  elif [ -x "$code/.venv/bin/python" ]; then export JULI_PYTHON="$code/.venv/bin/python"
  fi
  [ -n "${JULI_OUT:-}" ] && export JULI_OUT="$(from_here "$JULI_OUT")"
  (unset JULI; JULI_TREE="$code" JULI_HANDED_OVER=1 "$judge/tools/ci-check.sh")
  exit $?
fi

tree=$(cd "$(from_here "${JULI_TREE:-$code}")" 2>/dev/null && pwd) || {
  echo "ci-check: 找不到要检查的文件夹 JULI_TREE=${JULI_TREE}。" >&2; exit 2; }
out=$(from_here "${JULI_OUT:-$tree/site}")

if [ -n "${JULI:-}" ]; then
  read -r -a juli <<<"$JULI"
  case "${juli[0]}" in */*) [ -e "$(absolute "${juli[0]}")" ] && juli[0]=$(absolute "${juli[0]}") ;; esac
else
  python=${JULI_PYTHON:-}
  [ -z "$python" ] && [ -x "$code/.venv/bin/python" ] && python="$code/.venv/bin/python"
  [ -z "$python" ] && python=$(command -v python3)
  [ -n "$python" ] || { echo "ci-check: 找不到 python3。" >&2; exit 2; }
  # Run from $code with it first on the path: `-m generator` is this repository's code, never the tree's.
  export PYTHONPATH="$code${PYTHONPATH:+:$PYTHONPATH}"
  juli=("$python" -m generator)
fi
cd "$code" || exit 2
if ! "${juli[@]}" --version >/dev/null 2>&1; then
  echo "ci-check: 无法运行 juli（${juli[*]}）：请先安装（pip install -e .）。" >&2; exit 2
fi

failed=()
step() { if [ "$format" = github ]; then echo "::group::$1"; else echo "== $1"; fi; }
end() { [ "$format" = github ] && echo "::endgroup::"; return 0; }

if [ -n "${JULI_AUTHOR:-}" ] && [ -n "${JULI_BASE:-}" ]; then
  step "修改权限 juli check-changes"
  "${juli[@]}" check-changes --root "$tree" --base "$JULI_BASE" --author "$JULI_AUTHOR" --format "$format" \
    || failed+=(check-changes)
  end
else
  echo "== 跳过修改权限检查（未设置 JULI_AUTHOR 和 JULI_BASE）"
fi

step "校验目录 juli validate"
"${juli[@]}" validate --root "$tree" --format "$format" || failed+=(validate)
[ "$format" = github ] && "${juli[@]}" validate --root "$tree" --format text | tail -1
end

step "代码所有者与编辑器 Schema"
"${juli[@]}" owners --check --root "$tree" ${JULI_BASE:+--base "$JULI_BASE"} || failed+=(owners)
"${juli[@]}" schemas --check --root "$tree" || failed+=(schemas)
end

if [[ " ${failed[*]} " == *" validate "* || " ${failed[*]} " == *" check-changes "* ]]; then
  echo "== 跳过构建：目录有错误，或修改了无权修改的文件"
else
  step "构建网站 juli build"
  "${juli[@]}" build --root "$tree" --out "$out" || failed+=(build)
  end
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "检查未通过：${failed[*]}。修改方法见各条提示，或网站“参与贡献”栏目中的《校验提示一览》。" >&2
  exit 1
fi
echo "全部检查通过。"
