using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace DiffGen.Generator.Tests.Diagnostics
{
    /// <summary>
    /// Fuzzes the generator with the states code passes through while someone types: every seed program (see
    /// <see cref="FuzzSources"/>) is mutated by <see cref="SourceMutator"/> and checked by <see cref="FuzzOracle"/>.
    /// <para>
    /// CI runs a fixed seed. A long campaign: <c>DIFFGEN_FUZZ_CASES=100000 DIFFGEN_FUZZ_SEED=random dotnet test
    /// tests/DiffGen.Generator.Tests --filter "FullyQualifiedName~FuzzTests"</c>; <c>DIFFGEN_FUZZ_REPORT=path</c> writes the
    /// report to a file, <c>DIFFGEN_FUZZ_PROGRESS=path</c> appends a progress line every 1000 cases, and
    /// <c>DIFFGEN_FUZZ_CASE=n</c> reruns one case of a seed. A failure prints the seed, the case, the
    /// mutation and a shrunk repro.
    /// </para>
    /// </summary>
    public sealed class FuzzTests
    {
        /// <summary>The CI seed and size: 3000 cases, about 30 s of CPU after a 20 s warm-up; 40–60 s on two free cores.</summary>
        private const int DefaultSeed = 20_251_123;
        private const int DefaultCases = 3000;

        private readonly ITestOutputHelper _output;

        public FuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void Corpus_entries_are_valid_programs()
        {
            var problems = new List<string>();
            for (int i = 0; i < FuzzCorpus.Sources.Length; i++)
            {
                string source = FuzzCorpus.Sources[i];
                var outcome = FuzzOracle.Check(source);
                var root = FuzzOracle.Parse(source).GetRoot();
                int methods = root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
                    .Count(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() == "Differentiable"));
                if (outcome.InputHasErrors)
                {
                    problems.Add($"FuzzCorpus[{i}] does not compile on its own");
                }

                foreach (var d in outcome.DgDiagnostics)
                {
                    problems.Add($"FuzzCorpus[{i}]: {d}");
                }

                foreach (var p in outcome.Problems)
                {
                    problems.Add($"FuzzCorpus[{i}]: {p.Group}\n{p.Detail}");
                }

                if (outcome.Generated.Count != methods)
                {
                    problems.Add($"FuzzCorpus[{i}]: {methods} [Differentiable] methods but {outcome.Generated.Count} generated files");
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n\n", problems));
        }

        [Fact]
        public void Seeds_include_the_corpus_the_samples_and_the_test_sources()
        {
            var seeds = FuzzSources.Collect(out var root);
            Assert.NotNull(root);
            Assert.Equal(FuzzCorpus.Sources.Length, seeds.Count(s => s.Origin.StartsWith("FuzzCorpus", StringComparison.Ordinal)));

            bool samplesUseGenerator = Directory.Exists(Path.Combine(root!, "samples"))
                && Directory.EnumerateFiles(Path.Combine(root!, "samples"), "*.cs", SearchOption.AllDirectories)
                    .Any(f => !f.Contains("/obj/", StringComparison.Ordinal) && File.ReadAllText(f).Contains("[Differentiable", StringComparison.Ordinal));
            Assert.Equal(samplesUseGenerator, seeds.Any(s => s.Origin.StartsWith("samples", StringComparison.Ordinal)));

            // The diagnostic tests' own sources are harvested with their markup stripped.
            Assert.Contains(seeds, s => s.Origin.Contains("DiagnosticTests.cs", StringComparison.Ordinal));
            Assert.DoesNotContain(seeds, s => s.Text.Contains("{|DG", StringComparison.Ordinal));
        }

        [Fact]
        public void Mutations_are_reproducible_from_the_seed()
        {
            var seeds = FuzzCorpus.Sources;
            for (int i = 0; i < 200; i++)
            {
                string a = SourceMutator.Mutate(seeds[i % seeds.Length], new Random(CaseSeed(7, i)), out var da);
                string b = SourceMutator.Mutate(seeds[i % seeds.Length], new Random(CaseSeed(7, i)), out var db);
                Assert.Equal(a, b);
                Assert.Equal(da, db);
            }
        }

        [Fact]
        public void Mutations_change_the_source_and_reach_many_diagnostics()
        {
            // The fuzzer is only as good as the states it reaches: most mutants must differ from their seed, and the
            // fixed-seed campaign's first cases must reach a good part of the catalogue.
            var seen = new HashSet<string>();
            int changed = 0;
            const int n = 200;
            for (int i = 0; i < n; i++)
            {
                string seed = FuzzCorpus.Sources[i % FuzzCorpus.Sources.Length];
                string mutant = SourceMutator.Mutate(seed, new Random(CaseSeed(DefaultSeed, i)), out _);
                if (mutant != seed)
                {
                    changed++;
                }

                foreach (var d in FuzzOracle.Check(mutant).DgDiagnostics)
                {
                    seen.Add(d.Id);
                }
            }

            Assert.True(changed > n * 9 / 10, $"only {changed} of {n} mutants differ from their seed");
            Assert.True(seen.Count >= 10, "the mutants reached only " + string.Join(", ", seen.OrderBy(s => s, StringComparer.Ordinal)));
        }

        [Fact]
        public void The_location_check_rejects_spans_that_are_out_of_range_or_off_token_boundaries()
        {
            const string source = "public static partial class M { public static double F(double x) => x * x; }";
            var tree = FuzzOracle.Parse(source);
            var descriptor = FuzzOracle.Catalogue["DG0007"];
            string? Check(TextSpan span) => FuzzOracle.LocationProblem(
                Diagnostic.Create(descriptor, Location.Create(tree, span), "x", "y"), tree.GetText(), tree.GetRoot());

            int x = source.IndexOf("x * x", StringComparison.Ordinal);
            Assert.Null(Check(new TextSpan(x, 5)));
            Assert.NotNull(Check(new TextSpan(x, 2)));              // ends on the whitespace after x
            Assert.NotNull(Check(new TextSpan(x - 1, 6)));          // starts on whitespace
            Assert.NotNull(Check(new TextSpan(x, 0)));              // empty
            Assert.NotNull(Check(new TextSpan(source.Length - 1, 5))); // past the end
            Assert.NotNull(FuzzOracle.LocationProblem(Diagnostic.Create(descriptor, Location.None, "x", "y"), tree.GetText(), tree.GetRoot()));
        }

        [Fact]
        public void Mutated_sources_never_break_the_generator()
        {
            var settings = FuzzSettings.FromEnvironment(DefaultSeed, DefaultCases);
            var seeds = FuzzSources.Collect(out var root);
            var report = Campaign.Run(seeds, settings);
            string text = report.Render(settings, seeds, root);
            _output.WriteLine(text);
            if (Environment.GetEnvironmentVariable("DIFFGEN_FUZZ_REPORT") is { Length: > 0 } path)
            {
                File.WriteAllText(path, text);
            }

            Assert.True(report.Failures.IsEmpty, text);
        }

        [Theory]
        [MemberData(nameof(Regressions))]
        public void Shrunk_fuzzer_findings_stay_fixed(string name, string source)
        {
            var outcome = FuzzOracle.Check(source, warmFrom: null);
            Assert.True(outcome.Problems.Count == 0, name + ":\n" + string.Join("\n\n", outcome.Problems.Select(p => p.Group + "\n" + p.Detail)));
        }

        /// <summary>Minimal repros of what the fuzzer found (shrunk by <see cref="Campaign.Shrink"/>); each fails until its bug is fixed.</summary>
        public static IEnumerable<object[]> Regressions() => FuzzRegressions.Cases.Select(c => new object[] { c.Name, c.Source });

        internal static int CaseSeed(int seed, int index)
        {
            ulong z = unchecked(((ulong)(uint)seed << 32) + (ulong)(uint)index + 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            return (int)(z ^ (z >> 31));
        }
    }

    internal sealed record FuzzSettings(int Seed, int Cases, int? OnlyCase, bool RandomSeed)
    {
        public static FuzzSettings FromEnvironment(int defaultSeed, int defaultCases)
        {
            string? seedText = Environment.GetEnvironmentVariable("DIFFGEN_FUZZ_SEED");
            string? casesText = Environment.GetEnvironmentVariable("DIFFGEN_FUZZ_CASES");
            string? onlyText = Environment.GetEnvironmentVariable("DIFFGEN_FUZZ_CASE");
            bool random = string.Equals(seedText, "random", StringComparison.OrdinalIgnoreCase);
            int seed = random ? Random.Shared.Next() : int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : defaultSeed;
            int cases = int.TryParse(casesText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int c) && c > 0 ? c : defaultCases;
            int? only = int.TryParse(onlyText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int o) ? o : null;
            return new FuzzSettings(seed, cases, only, random);
        }
    }

    internal sealed record FuzzFailure(int Case, string Origin, string Mutation, string Source, string? WarmFrom, FuzzProblem Problem);

    internal sealed class CampaignReport
    {
        public ConcurrentBag<FuzzFailure> Failures { get; } = new();

        public ConcurrentDictionary<string, int> DiagnosticCounts { get; } = new(StringComparer.Ordinal);

        public int Cases;
        public int Generated;
        public int InputsWithErrors;
        public int Incremental;
        public int DiagnosticsOnBrokenMethods;
        public TimeSpan Elapsed;
        public TimeSpan ProcessorTime;
        public Dictionary<string, string> Shrunk { get; } = new(StringComparer.Ordinal);

        public string Render(FuzzSettings settings, IReadOnlyList<FuzzSeed> seeds, string? root)
        {
            var b = new StringBuilder();
            double perCase = Cases == 0 ? 0 : Elapsed.TotalMilliseconds / Cases;
            double cpuPerCase = Cases == 0 ? 0 : ProcessorTime.TotalMilliseconds / Cases;
            b.AppendLine(CultureInfo.InvariantCulture, $"DiffGen fuzz campaign: seed {settings.Seed}{(settings.RandomSeed ? " (random)" : string.Empty)}, {Cases} cases, {Elapsed.TotalSeconds:F1} s wall ({perCase:F2} ms per case on {Environment.ProcessorCount} cores), {ProcessorTime.TotalSeconds:F1} s CPU ({cpuPerCase:F2} ms CPU per case)");
            b.AppendLine(CultureInfo.InvariantCulture, $"seeds: {seeds.Count} ({seeds.Count(s => s.Origin.StartsWith("FuzzCorpus", StringComparison.Ordinal))} corpus, {seeds.Count(s => s.Origin.StartsWith("samples", StringComparison.Ordinal))} samples, {seeds.Count(s => s.Origin.StartsWith("tests", StringComparison.Ordinal))} from tests){(root is null ? "; repository not found, only the corpus was used" : string.Empty)}");
            b.AppendLine(CultureInfo.InvariantCulture, $"mutants that do not compile: {InputsWithErrors}; mutants with generated code: {Generated}; incremental re-runs compared with fresh runs: {Incremental}");
            b.AppendLine("DG diagnostics reported: " + string.Join(", ", DiagnosticCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "×" + kv.Value)));
            b.AppendLine(CultureInfo.InvariantCulture, $"DG diagnostics on methods that do not compile yet (noise next to a compiler error): {DiagnosticsOnBrokenMethods}");
            var groups = Failures.GroupBy(f => f.Problem.Group).OrderByDescending(g => g.Count()).ToList();
            b.AppendLine(CultureInfo.InvariantCulture, $"failing cases: {Failures.Select(f => f.Case).Distinct().Count()} in {groups.Count} groups");
            foreach (var group in groups)
            {
                b.AppendLine(CultureInfo.InvariantCulture, $"  {group.Select(f => f.Case).Distinct().Count(),6}  {group.Key}  (e.g. case {group.Min(f => f.Case)})");
            }
            foreach (var group in groups.Take(12))
            {
                var first = group.OrderBy(f => f.Source.Length).First();
                b.AppendLine();
                b.AppendLine(CultureInfo.InvariantCulture, $"== {group.Key}  ({group.Select(f => f.Case).Distinct().Count()} cases)");
                b.AppendLine(CultureInfo.InvariantCulture, $"   rerun: DIFFGEN_FUZZ_SEED={settings.Seed} DIFFGEN_FUZZ_CASE={first.Case}  (seed program {first.Origin}; mutation: {first.Mutation})");
                if (Shrunk.TryGetValue(group.Key, out var shrunk))
                {
                    b.AppendLine("   shrunk repro:");
                    b.AppendLine(Indent(shrunk));
                }
                else
                {
                    b.AppendLine(first.Problem.Kind.Contains("incremental", StringComparison.Ordinal)
                        ? "   mutant (not shrunk; found on the incremental path: the driver first ran on the seed program, then on this mutant):"
                        : "   mutant (not shrunk):");
                    b.AppendLine(Indent(Clip(first.Source, 4000)));
                }

                b.AppendLine("   detail:");
                b.AppendLine(Indent(Clip(first.Problem.Detail, 2500)));
            }

            return b.ToString();
        }

        private static string Indent(string text) => string.Join("\n", text.Split('\n').Select(l => "      " + l));

        private static string Clip(string text, int max) => text.Length <= max ? text : text.Substring(0, max) + "\n…";
    }

    internal static class Campaign
    {
        public static CampaignReport Run(IReadOnlyList<FuzzSeed> seeds, FuzzSettings settings)
        {
            var report = new CampaignReport();
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            string? progress = Environment.GetEnvironmentVariable("DIFFGEN_FUZZ_PROGRESS") is { Length: > 0 } p ? p : null;
            var indices = settings.OnlyCase is int only ? new[] { only } : Enumerable.Range(0, settings.Cases).ToArray();
            Parallel.ForEach(indices, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, index =>
            {
                var random = new Random(FuzzTests.CaseSeed(settings.Seed, index));
                var seed = seeds[random.Next(seeds.Count)];
                string mutant = SourceMutator.Mutate(seed.Text, random, out string mutation);
                bool incremental = random.Next(5) == 0;
                FuzzOutcome outcome;
                try
                {
                    outcome = FuzzOracle.Check(mutant, incremental ? seed.Text : null);
                }
                catch (Exception e)
                {
                    // The oracle itself must not hide a failure (e.g. a Roslyn API throwing on the generated trees).
                    outcome = new FuzzOutcome();
                    outcome.Problems.Add(new FuzzProblem("oracle threw", e.GetType().Name, e.ToString()));
                }

                int done = Interlocked.Increment(ref report.Cases);
                if (incremental)
                {
                    Interlocked.Increment(ref report.Incremental);
                }

                if (outcome.Generated.Count > 0)
                {
                    Interlocked.Increment(ref report.Generated);
                }

                if (outcome.InputHasErrors)
                {
                    Interlocked.Increment(ref report.InputsWithErrors);
                }

                Interlocked.Add(ref report.DiagnosticsOnBrokenMethods, outcome.DiagnosticsOnBrokenMethods);
                foreach (var d in outcome.DgDiagnostics)
                {
                    report.DiagnosticCounts.AddOrUpdate(d.Id, 1, (_, n) => n + 1);
                }

                foreach (var problem in outcome.Problems)
                {
                    report.Failures.Add(new FuzzFailure(index, seed.Origin, mutation, mutant, incremental ? seed.Text : null, problem));
                }

                if (progress is not null && done % 1000 == 0)
                {
                    lock (progress)
                    {
                        File.AppendAllText(progress, FormattableString.Invariant(
                            $"{DateTime.UtcNow:O} {done} cases, {clock.Elapsed.TotalSeconds:F0} s, {report.Failures.Select(f => f.Case).Distinct().Count()} failing cases\n"));
                    }
                }
            });
            report.Elapsed = clock.Elapsed;
            report.ProcessorTime = Process.GetCurrentProcess().TotalProcessorTime - cpu;

            // Shrink the smallest example of each of the first groups (fresh-run problems only).
            foreach (var group in report.Failures.GroupBy(f => f.Problem.Group).OrderByDescending(g => g.Count()).Take(10))
            {
                var smallest = group.Where(f => !f.Problem.Kind.Contains("incremental", StringComparison.Ordinal))
                    .OrderBy(f => f.Source.Length).FirstOrDefault();
                if (smallest is not null)
                {
                    report.Shrunk[group.Key] = Shrink(smallest.Source, group.Key, TimeSpan.FromSeconds(5));
                }
            }

            return report;
        }

        /// <summary>
        /// Delta debugging: removes chunks of lines, then single tokens, while the source still shows a problem of the
        /// same group. Bounded by <paramref name="budget"/>, so the result is small but not always minimal.
        /// </summary>
        public static string Shrink(string source, string group, TimeSpan budget)
        {
            var clock = Stopwatch.StartNew();
            bool Fails(string candidate)
            {
                try
                {
                    return FuzzOracle.Check(candidate).Problems.Any(p => p.Group == group);
                }
                catch (Exception)
                {
                    return false;
                }
            }

            if (!Fails(source))
            {
                return source;
            }

            var lines = source.Split('\n').ToList();
            for (int chunk = Math.Max(1, lines.Count / 2); chunk >= 1 && clock.Elapsed < budget; chunk /= 2)
            {
                for (int i = 0; i + chunk <= lines.Count && clock.Elapsed < budget;)
                {
                    var candidate = lines.Take(i).Concat(lines.Skip(i + chunk)).ToList();
                    if (Fails(string.Join("\n", candidate)))
                    {
                        lines = candidate;
                    }
                    else
                    {
                        i += chunk;
                    }
                }
            }

            string text = string.Join("\n", lines);
            var tokens = CSharpSyntaxTree.ParseText(text, Infrastructure.GeneratorHarness.ParseOptions).GetRoot().DescendantTokens()
                .Where(t => t.Span.Length > 0).Reverse().ToList();
            foreach (var token in tokens)
            {
                if (clock.Elapsed >= budget)
                {
                    break;
                }

                if (token.Span.End > text.Length)
                {
                    continue;
                }

                string candidate = text.Remove(token.SpanStart, token.Span.Length);
                if (Fails(candidate))
                {
                    text = candidate;
                }
            }

            return string.Join("\n", text.Split('\n').Where(l => l.Trim().Length > 0));
        }
    }
}
