using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using DiffGen.Benchmarks.Infrastructure;
using Perfolizer.Horology;

namespace DiffGen.Benchmarks
{
    /// <summary>
    /// Entry point. All of BenchmarkDotNet's command line works (--filter, --job, --artifacts, --list flat, ...), plus:
    /// <list type="bullet">
    /// <item><c>--quick</c>: a short in-process job (no separate build, 1 launch, 2 warm-up and 4 measured iterations of
    /// 100 ms) so everything finishes in a few minutes on 2 cores; for a look, not for the record.</item>
    /// <item><c>--slow-fd</c>: also run finite differences on Rosenbrock at n = 100 000 (2n + 1 primal calls of O(n):
    /// tens of seconds per call, so it is left out by default).</item>
    /// <item><c>--interleaved [names...] [--short]</c>: not BenchmarkDotNet; the workloads' methods run in turn in one
    /// process, fastest of 300 (60) rounds each, printed as a table of ratios (see InterleavedRunner).</item>
    /// <item><c>--compile-time [passes]</c>: not BenchmarkDotNet; the generator's cost per method (medians of paired
    /// differences between a full generator run and the compiler alone at 10 and 100 methods; see CompileTimeRunner).</item>
    /// </list>
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var rest = new List<string>(args);
            if (rest.Remove("--interleaved"))
            {
                // Workload names to include (all when none): --interleaved Rosenbrock BlackScholes
                int rounds = rest.Remove("--short") ? 60 : 300;
                return InterleavedRunner.Run(rest, rounds);
            }

            if (rest.Remove("--compile-time"))
            {
                // --compile-time [passes]: the generator's cost per method, median of paired runs at 10 and 100 methods.
                return CompileTime.CompileTimeRunner.Run(rest.ToArray());
            }

            bool quick = rest.Remove("--quick");
            bool slowFiniteDifferences = rest.Remove("--slow-fd");
            var config = CreateConfig(quick, slowFiniteDifferences);
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray(), config);
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        }

        public static IConfig CreateConfig(bool quick, bool slowFiniteDifferences)
        {
            IConfig config = DefaultConfig.Instance
                .AddColumn(StatisticColumn.Median, StatisticColumn.Min, new GradientOverPrimalColumn())
                .WithOptions(ConfigOptions.DisableLogFile);
            if (!slowFiniteDifferences)
            {
                config = config.AddFilter(new SimpleFilter(b => !IsSlowFiniteDifferences(b)));
            }

            if (quick)
            {
                config = config.AddJob(Job.Default
                    .WithLaunchCount(1)
                    .WithWarmupCount(2)
                    .WithIterationCount(4)
                    .WithIterationTime(TimeInterval.FromMilliseconds(100))
                    .WithToolchain(InProcessEmitToolchain.Instance)
                    .WithId("Quick"));
            }

            return config;
        }

        /// <summary>Finite differences at n ≥ 10 000 on Rosenbrock: O(n²) work, seconds to minutes per call.</summary>
        public static bool IsSlowFiniteDifferences(BenchmarkCase benchmark) =>
            benchmark.Descriptor.WorkloadMethod.Name == nameof(IGradientWorkload.FiniteDifferences)
            && benchmark.Parameters.Items.Any(p => p.Name == "N" && p.Value is int n && n >= 10_000);
    }
}
