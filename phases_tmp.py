import sys, time, functools
t0 = time.perf_counter()
import chronicle.cli as cli, chronicle.state as st, chronicle.pipeline as pl, chronicle.render as rd, chronicle.content as ct, chronicle.model as md, chronicle.output as op
t_imp = time.perf_counter() - t0
acc = {}
def wrap(mod, name, label):
    f = getattr(mod, name)
    @functools.wraps(f)
    def w(*a, **k):
        t = time.perf_counter()
        try: return f(*a, **k)
        finally: acc[label] = acc.get(label, 0) + time.perf_counter() - t
    setattr(mod, name, w)
wrap(st, "load", "state load"); wrap(st, "save", "state save"); wrap(st, "input_signatures", "input sigs")
wrap(st.State, "intact", "intact"); wrap(pl, "load_content", "content"); wrap(pl, "build_site", "model")
wrap(rd.Renderer, "_list_jobs", "jobs"); wrap(rd.Renderer, "render_all", "render_all"); wrap(rd.Renderer, "_stale", "stale")
wrap(pl, "write_site", "write"); wrap(cli, "_remember_summary", "summary"); wrap(pl, "prepare", "prepare"); wrap(cli, "publish", "publish")
wrap(pl, "process_portraits", "portraits"); wrap(pl, "make_cards", "cards"); wrap(cli, "lint", "lint"); wrap(st, "up_to_date", "uptodate"); wrap(cli, "unchanged_pages", "unchanged"); wrap(pl, "prune_cache", "prune"); wrap(rd.Renderer, "__init__", "renderer init"); import chronicle.exports as ex; wrap(pl, "load_settings", "settings"); wrap(pl, "check_output_folder", "checkout"); wrap(cli, "remembered", "remembered")
t1 = time.perf_counter()
cli.main(sys.argv[1:])
t_main = time.perf_counter() - t1
print(f"imports {t_imp*1000:.0f} main {t_main*1000:.0f}", " ".join(f"{k}={v*1000:.0f}" for k, v in acc.items()), file=sys.stderr)
