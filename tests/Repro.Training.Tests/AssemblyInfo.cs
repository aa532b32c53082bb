// libtorch's thread count is process-wide: run these tests one at a time so each sets its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
