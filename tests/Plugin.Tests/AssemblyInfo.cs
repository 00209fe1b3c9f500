// The allocation probe patches the in-process processor vtable that every in-process test shares, so a test
// class processing in parallel (first-call JIT and type loading on its own thread) would be counted too. Run the
// classes of this assembly one after another; the measured pass then sees only its own process calls.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
