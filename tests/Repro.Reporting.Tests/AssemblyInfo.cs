// libtorch's thread count is process-wide: run these tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
