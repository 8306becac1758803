using System;
using System.Linq;
using DiffGen.Benchmarks.CompileTime;
using DiffGen.Generator;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DiffGen.Benchmarks.Tests
{
    /// <summary>The compile-time benchmark measures what it says: real methods that the generator accepts, and an incremental run that re-does no per-method work.</summary>
    public class CompileTimeTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(10)]
        public void FullRunGeneratesEveryMethodWithoutDiagnosticsAndTheResultCompiles(int methods)
        {
            var workload = new GeneratorWorkload(methods);
            var driver = workload.CreateDriver().RunGeneratorsAndUpdateCompilation(workload.Compilation, out var output, out var diagnostics);
            var result = driver.GetRunResult();

            Assert.Empty(result.Diagnostics);
            Assert.Empty(diagnostics);
            Assert.Equal(methods, result.GeneratedTrees.Length);
            var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors));

            // The benchmark's own FullRun does the same work.
            Assert.Equal(methods, workload.FullRun().GetRunResult().GeneratedTrees.Length);
        }

        [Fact]
        public void SyntheticMethodsAreOfRealisticSize()
        {
            for (int i = 0; i < 8; i++)
            {
                string source = SyntheticModels.Source(i);
                int start = source.IndexOf("[Differentiable]", StringComparison.Ordinal);
                int lines = source.Substring(start).Split('\n').Length - 3;
                Assert.InRange(lines, 20, 60);
                Assert.True(source.Contains("for (", StringComparison.Ordinal) || source.Contains("foreach (", StringComparison.Ordinal));
            }
        }

        [Fact]
        public void AnUnrelatedEditReRunsNoneOfDiffGensOwnSteps()
        {
            // DiffGen's own steps (the model read from each method, the resolved and simplified program, the emitted
            // source) must come from the cache: Cached, not merely Unchanged (Unchanged means the step ran again and
            // produced an equal value). Roslyn's ForAttributeWithMetadataName calls its transform for every method
            // whenever the compilation changes; the transform hands back the model it read before (DeclarationCache)
            // because the edit changed no declaration, which is what the IncrementalAfterUnrelatedEdit benchmark times.
            var workload = new GeneratorWorkload(10, trackSteps: true);
            var result = workload.IncrementalRun().GetRunResult().Results.Single();

            Assert.Equal(10, result.GeneratedSources.Length);
            foreach (var step in new[] { TrackingNames.Methods, TrackingNames.Resolved, TrackingNames.Diagnostics })
            {
                Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} not tracked");
                var reasons = result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
                Assert.Equal(10, reasons.Count);
                Assert.All(reasons, r => Assert.True(r == IncrementalStepRunReason.Cached, $"{step}: {r}"));
            }

            // Source outputs: nothing new, modified or removed, and no file emitted again (the very same SourceText
            // objects as after the first run). The diagnostics output is combined with the compilation (to map
            // locations back onto syntax trees), so it re-runs on each edit and ends Unchanged; that is allowed here.
            var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {r}"));
            Assert.True(outputs.Count(r => r == IncrementalStepRunReason.Cached) >= 10, "the ten emitted files should come from the cache");
            var before = workload.WarmDriver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText);
            Assert.All(result.GeneratedSources, s => Assert.Same(before[s.HintName], s.SourceText));
        }
    }
}
