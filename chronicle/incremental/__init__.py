"""Incremental building: the speed machinery, apart from the stages it speeds up.

A build from nothing reads only the stages. `memory.Memory` is the one object that holds
what a build keeps for the next one and is passed to the stages; `remember` saves and loads
it between processes (`state`, `delta`, `signing`, `summary`); `deps` records what each
page reads, so that only pages whose reads changed are rendered again; `models` keeps the
preview's site model; `workers` shares a cold build's work among forked processes.
"""
