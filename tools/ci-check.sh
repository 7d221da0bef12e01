#!/usr/bin/env bash
# The checks every pull request gets, as one plain script: GitHub Actions (.github/workflows/catalog.yml),
# GitLab CI, Gitee Go or any runner with Python 3.11+ can call it from the repository root.
#
#   1. juli validate        every entry against its schema and the semantic rules
#   2. juli owners --check  .github/CODEOWNERS matches the maintainers in organization.yml
#      juli schemas --check schemas/ (editor schemas) matches the taxonomy
#   3. juli check-changes   the author changed only their own organization's folders (needs JULI_AUTHOR
#                           and JULI_BASE); run with the BASE revision's code, so a pull request cannot
#                           weaken the check it is judged by
#   4. juli build           the whole site into $JULI_OUT (default site/), kept by the CI as a preview
#
# Environment:
#   JULI_FORMAT  text (default) or github (problems become annotations on the changed lines)
#   JULI_AUTHOR  account that opened the change, e.g. GitHub ${{ github.event.pull_request.user.login }},
#                GitLab $GITLAB_USER_LOGIN, Gitee Go the PR author
#   JULI_BASE    base revision, e.g. ${{ github.event.pull_request.base.sha }}, GitLab
#                $CI_MERGE_REQUEST_DIFF_BASE_SHA; the history must be fetched (fetch-depth 0)
#   JULI_OUT     output folder of the build (default site)
#   JULI         command to run juli (default: .venv/bin/juli if present, else juli)
#
# Exit status: 0 when every step passed, 1 when a check failed, 2 on a setup problem.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
format=${JULI_FORMAT:-text}
out=${JULI_OUT:-site}
if [ -n "${JULI:-}" ]; then juli=($JULI)
elif [ -x .venv/bin/juli ]; then juli=(.venv/bin/juli)
elif command -v juli >/dev/null; then juli=(juli)
else echo "ci-check: juli is not installed (pip install -e .)" >&2; exit 2
fi
python=$(dirname "$(command -v "${juli[0]}")")/python
[ -x "$python" ] || python=python3

failed=()
step() { if [ "$format" = github ]; then echo "::group::$1"; else echo "== $1"; fi; }
end() { [ "$format" = github ] && echo "::endgroup::"; return 0; }

step "校验目录 juli validate"
if "${juli[@]}" validate --format "$format"; then :; else failed+=(validate); fi
[ "$format" = github ] && "${juli[@]}" validate --format text | tail -1
end

step "代码所有者与编辑器 Schema"
"${juli[@]}" owners --check || failed+=(owners)
"${juli[@]}" schemas --check || failed+=(schemas)
end

if [ -n "${JULI_AUTHOR:-}" ] && [ -n "${JULI_BASE:-}" ]; then
  step "修改权限 juli check-changes(作者 ${JULI_AUTHOR})"
  base_tree=$(mktemp -d)
  if git worktree add --detach --quiet "$base_tree" "$JULI_BASE" 2>/dev/null && [ -f "$base_tree/generator/commands/check_changes.py" ]; then
    # the base revision's own code judges the change
    (cd "$base_tree" && "$python" -m generator check-changes --root "$root" --base "$JULI_BASE" \
        --author "$JULI_AUTHOR" --format "$format") || failed+=(check-changes)
  else
    "${juli[@]}" check-changes --root "$root" --base "$JULI_BASE" --author "$JULI_AUTHOR" --format "$format" \
      || failed+=(check-changes)
  fi
  git worktree remove --force "$base_tree" 2>/dev/null; rm -rf "$base_tree"
  end
else
  echo "== 跳过修改权限检查(未设置 JULI_AUTHOR 和 JULI_BASE)"
fi

if [[ " ${failed[*]} " == *" validate "* ]]; then
  echo "== 跳过构建:目录有错误"
else
  step "构建网站 juli build"
  "${juli[@]}" build --out "$out" || failed+=(build)
  end
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "检查未通过:${failed[*]}。修改方法见各条提示,或网站“参与贡献”栏目中的《校验提示一览》。" >&2
  exit 1
fi
echo "全部检查通过。"
