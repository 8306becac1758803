using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.CompileTime
{
    /// <summary>
    /// What the generator costs at compile time: a full run on 1, 10 and 100 [Differentiable] methods, and an
    /// incremental run after an edit to an unrelated file (which should re-run no per-method work).
    /// </summary>
    [MemoryDiagnoser]
    public class GeneratorBenchmarks
    {
        private GeneratorWorkload? _workload;

        /// <summary>The number of [Differentiable] methods in the compilation.</summary>
        [Params(1, 10, 100)]
        public int Methods { get; set; } = 1;

        [GlobalSetup]
        public void Setup() => _workload = new GeneratorWorkload(Methods);

        /// <summary>A fresh driver on a fresh copy of the compilation: the generator's share of a clean build.</summary>
        [Benchmark]
        public object FullRun() => _workload!.FullRun();

        /// <summary>For scale: the compiler binding and checking the same code without the generator (no emit).</summary>
        [Benchmark]
        public int CompileWithoutGenerator() => _workload!.CompileWithoutGenerator();

        /// <summary>The warm driver after an edit to an unrelated file: the generator's share of a keystroke in an IDE.</summary>
        [Benchmark]
        public object IncrementalAfterUnrelatedEdit() => _workload!.IncrementalRun();
    }
}
