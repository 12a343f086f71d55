from modelw_lint.cli import run

run()
