// One test at a time. Many tests here train and sample in-process, and TorchSharp 0.107's scalar overloads
// (e.g. Tensor.add_(Scalar, Scalar), used by optim.Adam and by `tensor / double`) pass a temporary Scalar's
// handle to native code without keeping the Scalar alive: a garbage collection triggered by another thread
// during the call can finalise it, and libtorch then reads freed memory ("Unknown scalar type", seen twice
// under parallel tests at a load average of 30-40). Run serially, no other test thread allocates meanwhile.
// libtorch's thread count is also process-wide, as in Repro.Runs.Tests.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
