from factcheck_site.cli import run

run()
