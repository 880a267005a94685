#pragma once
// The demo `./run` shows with no arguments: delayed and futures on a local cluster.
namespace tessera::tools {
int run_demo(int workers, int threads);
}
