using System;
using System.Linq;
using BenchmarkDotNet.Running;
using DiffGen.Benchmarks.CompileTime;
using DiffGen.Benchmarks.Infrastructure;
using Xunit;

namespace DiffGen.Benchmarks.Tests
{
    /// <summary>The benchmark classes have the shape the report relies on: four variants, the hand-written one the baseline, all of them tested.</summary>
    public class BenchmarkShapeTests
    {
        private static readonly Type[] WorkloadTypes = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IGradientWorkload).IsAssignableFrom(t) && !t.IsAbstract)
            .OrderBy(t => t.Name)
            .ToArray();

        [Fact]
        public void EveryWorkloadClassIsCoveredByTheAgreementTests()
        {
            var covered = WorkloadCatalog.All.Values.Select(f => f().GetType()).Distinct().OrderBy(t => t.Name).ToArray();
            Assert.Equal(7, WorkloadTypes.Length);
            Assert.Equal(WorkloadTypes, covered);
        }

        [Fact]
        public void EveryWorkloadHasFourVariantsWithTheHandWrittenGradientAsBaseline()
        {
            foreach (var type in WorkloadTypes)
            {
                var run = BenchmarkConverter.TypeToBenchmarks(type);
                var methods = run.BenchmarksCases.Select(b => b.Descriptor.WorkloadMethod.Name).Distinct().OrderBy(n => n).ToArray();
                Assert.Equal(new[] { "FiniteDifferences", "Generated", "HandWritten", "Primal" }, methods);
                var baselines = run.BenchmarksCases.Where(b => b.Descriptor.Baseline).Select(b => b.Descriptor.WorkloadMethod.Name).Distinct().ToArray();
                Assert.Equal(new[] { "HandWritten" }, baselines);
            }
        }

        [Fact]
        public void RosenbrockRunsAtTheThreeSizes()
        {
            var run = BenchmarkConverter.TypeToBenchmarks(typeof(DiffGen.Benchmarks.Workloads.RosenbrockBenchmarks));
            var sizes = run.BenchmarksCases.Select(b => (int)b.Parameters["N"]).Distinct().OrderBy(n => n).ToArray();
            Assert.Equal(new[] { 10, 1000, 100000 }, sizes);
        }

        [Fact]
        public void TheDefaultFilterLeavesOutOnlyTheQuadraticFiniteDifferencesAtLargeN()
        {
            var cases = WorkloadTypes.Append(typeof(GeneratorBenchmarks))
                .SelectMany(t => BenchmarkConverter.TypeToBenchmarks(t).BenchmarksCases)
                .ToArray();
            var skipped = cases.Where(Program.IsSlowFiniteDifferences).Select(b => b.DisplayInfo).ToArray();
            var only = Assert.Single(skipped);
            Assert.Contains("RosenbrockBenchmarks.FiniteDifferences", only, StringComparison.Ordinal);
            Assert.Contains("N=100000", only, StringComparison.Ordinal);
        }

        [Fact]
        public void TheCompileTimeBenchmarkRunsAtOneTenAndAHundredMethods()
        {
            var run = BenchmarkConverter.TypeToBenchmarks(typeof(GeneratorBenchmarks));
            var sizes = run.BenchmarksCases.Select(b => (int)b.Parameters["Methods"]).Distinct().OrderBy(n => n).ToArray();
            Assert.Equal(new[] { 1, 10, 100 }, sizes);
        }
    }
}
