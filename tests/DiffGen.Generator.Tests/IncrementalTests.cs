using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using DiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// The incremental pipeline: after an unrelated edit the tracked steps (<see cref="TrackingNames"/>) report
    /// Cached / Unchanged for the untouched methods and the source outputs are not redone; no step output holds a
    /// symbol, syntax node, compilation or location (which would defeat caching and keep compilations alive);
    /// the output is deterministic across runs, file orders and cultures.
    /// </summary>
    public class IncrementalTests
    {
        private const string ModelFile = """
            using System;
            using DiffGen;

            namespace Inc
            {
                public static partial class Model
                {
                    [Differentiable]
                    public static double A(double x, double y)
                    {
                        // a comment inside A
                        var t = x * 2.0 + y; // trailing comment
                        return t * t;
                    }

                    [Differentiable]
                    public static double B(double x)
                    {
                        double s = 0.0;
                        for (int i = 0; i < 3; i++)
                        {
                            s += Math.Sin(x * i);
                        }

                        return s;
                    }

                    public static double Helper(double x) => x + 1;
                }
            }
            """;

        private const string OtherFile = """
            using System;
            using DiffGen;

            namespace Inc
            {
                public static partial class Other
                {
                    [Differentiable]
                    public static double C(ReadOnlySpan<double> w, [NoDiff] double k)
                    {
                        double s = 0.0;
                        foreach (var v in w)
                        {
                            s += v * k;
                        }

                        return s;
                    }

                    public static int Unrelated() => 42;
                }

                public static class Pullbacks
                {
                    public static double Soft(double x) => x / (1 + Math.Abs(x));
                }

                public static partial class Registrations
                {
                    [DerivativeOf(typeof(Pullbacks), nameof(Pullbacks.Soft))]
                    public static double SoftBackward(double x, double seed, ref double dX)
                    {
                        double d = 1 + Math.Abs(x);
                        dX += seed / (d * d);
                        return Pullbacks.Soft(x);
                    }
                }
            }
            """;

        private static readonly string[] s_trackedSteps = typeof(TrackingNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

        private static SyntaxTree Tree(string text, string path) => CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path: path);

        private static CSharpCompilation Compilation(params SyntaxTree[] trees) => GeneratorHarness.CreateCompilation().AddSyntaxTrees(trees);

        private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(CSharpCompilation before, Func<CSharpCompilation, CSharpCompilation> edit)
        {
            var driver = GeneratorHarness.CreateDriver().RunGenerators(before);
            var first = driver.GetRunResult().Results.Single();
            driver = driver.RunGenerators(edit(before));
            return (first, driver.GetRunResult().Results.Single());
        }

        private static CSharpCompilation Baseline() => Compilation(Tree(ModelFile, "Model.cs"), Tree(OtherFile, "Other.cs"));

        private static CSharpCompilation ReplaceIn(CSharpCompilation c, string path, string oldText, string newText)
        {
            var tree = c.SyntaxTrees.Single(t => t.FilePath == path);
            string text = tree.GetText().ToString();
            Assert.Contains(oldText, text);
            return c.ReplaceSyntaxTree(tree, Tree(text.Replace(oldText, newText), path));
        }

        /// <summary>The method a step output belongs to, read from the model's Name property (null when it has none).</summary>
        private static string? MethodName(object value) => value.GetType().GetProperty("Name")?.GetValue(value) as string;

        private static IEnumerable<(string Step, object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult r, string step) =>
            r.TrackedSteps.TryGetValue(step, out var steps)
                ? steps.SelectMany(s => s.Outputs).Select(o => (step, o.Value, o.Reason))
                : Enumerable.Empty<(string, object, IncrementalStepRunReason)>();

        /// <summary>The first field path at which two step outputs differ (to say why a step was not cached).</summary>
        private static string? FirstDifference(object? a, object? b, string path, int depth = 0)
        {
            if (Equals(a, b) || depth > 12)
            {
                return null;
            }

            if (a is null || b is null || a.GetType() != b.GetType() || a is string || a.GetType().IsPrimitive || a.GetType().IsEnum)
            {
                return $"{path}: {a} → {b}";
            }

            if (a is IEnumerable ea && b is IEnumerable eb)
            {
                var la = ea.Cast<object?>().ToList();
                var lb = eb.Cast<object?>().ToList();
                if (la.Count != lb.Count)
                {
                    return $"{path}: {la.Count} items → {lb.Count} items";
                }

                for (int i = 0; i < la.Count; i++)
                {
                    if (FirstDifference(la[i], lb[i], $"{path}[{i}]", depth + 1) is { } d)
                    {
                        return d;
                    }
                }
            }

            for (var t = a.GetType(); t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (FirstDifference(f.GetValue(a), f.GetValue(b), $"{path}.{f.Name}", depth + 1) is { } d)
                    {
                        return d;
                    }
                }
            }

            return $"{path}: {a} → {b}";
        }

        /// <summary>
        /// For edits that move text: the models of methods below the edit carry diagnostic locations, so the front end
        /// re-runs for them (positions changed), but the models the emitter sees hold no positions, so no generated
        /// source is produced again.
        /// </summary>
        private static void AssertOutputsCached(GeneratorRunResult r, string because)
        {
            foreach (var (output, steps) in r.TrackedOutputSteps)
            {
                foreach (var o in steps.SelectMany(s => s.Outputs))
                {
                    Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"{because}: output step {output} was {o.Reason}");
                }
            }
        }

        private static void AssertAllCached(GeneratorRunResult r, string because, GeneratorRunResult? previous = null)
        {
            foreach (var step in s_trackedSteps)
            {
                Assert.True(r.TrackedSteps.ContainsKey(step), $"step {step} was not tracked ({because})");
                var before = previous is { } p ? Outputs(p, step).ToList() : new List<(string, object, IncrementalStepRunReason)>();
                int index = 0;
                foreach (var (name, value, reason) in Outputs(r, step))
                {
                    string why = index < before.Count ? " (first difference: " + FirstDifference(before[index].Item2, value, "model") + ")" : string.Empty;
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"{because}: step {name} output {MethodName(value) ?? value.GetType().Name} was {reason}{why}");
                    index++;
                }
            }

            foreach (var (output, steps) in r.TrackedOutputSteps)
            {
                foreach (var o in steps.SelectMany(s => s.Outputs))
                {
                    Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"{because}: output step {output} was {o.Reason}");
                }
            }
        }

        [Fact]
        public void All_tracking_names_are_used_by_the_pipeline()
        {
            var r = GeneratorHarness.CreateDriver().RunGenerators(Baseline()).GetRunResult().Results.Single();
            Assert.NotEmpty(s_trackedSteps);
            foreach (var step in s_trackedSteps)
            {
                Assert.True(r.TrackedSteps.ContainsKey(step), $"step {step} not found; tracked: {string.Join(", ", r.TrackedSteps.Keys)}");
            }

            Assert.Equal(new[] { "A", "B", "C" }, Outputs(r, TrackingNames.Methods).Select(o => MethodName(o.Value)).OrderBy(n => n));
        }

        [Fact]
        public void Rerunning_on_the_same_compilation_is_fully_cached()
        {
            var (_, second) = RunTwice(Baseline(), c => c);
            AssertAllCached(second, "no edit");
        }

        [Fact]
        public void Adding_an_unrelated_file_leaves_every_step_cached()
        {
            var (_, second) = RunTwice(Baseline(), c => c.AddSyntaxTrees(Tree("namespace Inc { public static class Unrelated { public static int F() => 1; } }", "Unrelated.cs")));
            AssertAllCached(second, "unrelated file added");
        }

        [Fact]
        public void Editing_a_plain_method_in_another_file_leaves_every_step_cached()
        {
            var (_, second) = RunTwice(Baseline(), c => ReplaceIn(c, "Other.cs", "Unrelated() => 42", "Unrelated() => 43"));
            AssertAllCached(second, "edit of a non-differentiable method in another file");
        }

        [Fact]
        public void Editing_a_plain_method_in_the_same_file_leaves_every_step_cached()
        {
            var (_, second) = RunTwice(Baseline(), c => ReplaceIn(c, "Model.cs", "Helper(double x) => x + 1", "Helper(double x) => x + 2"));
            AssertAllCached(second, "edit of a non-differentiable method next to the differentiable ones");
        }

        [Fact]
        public void Editing_a_comment_leaves_every_step_cached()
        {
            var (_, second) = RunTwice(Baseline(), c => ReplaceIn(c, "Model.cs", "// a comment inside A", "// a longer, reworded comment inside method A"));
            AssertOutputsCached(second, "comment edit");
        }

        [Fact]
        public void Editing_a_comment_without_moving_any_code_leaves_every_step_cached()
        {
            // Same length, so no span after it moves: isolates "comment text" from "positions".
            var (_, second) = RunTwice(Baseline(), c => ReplaceIn(c, "Model.cs", "// a comment inside A", "// A COMMENT INSIDE A"));
            AssertAllCached(second, "same-length comment edit");
        }

        [Fact]
        public void Inserting_a_line_below_the_differentiable_methods_leaves_every_step_cached()
        {
            // Lines and offsets of everything after the edit move; the differentiable method above it (C) and the
            // registration model (which holds no positions) must be untouched.
            var (first, second) = RunTwice(Baseline(), c => ReplaceIn(c, "Other.cs", "public static int Unrelated() => 42;", "public static int Unrelated() =>\n            42;"));
            AssertAllCached(second, "line inserted below the differentiable methods of that file", first);
        }

        [Fact]
        public void Editing_a_trailing_comment_leaves_every_step_cached()
        {
            var (_, second) = RunTwice(Baseline(), c => ReplaceIn(c, "Model.cs", "// trailing comment", "// the residual"));
            AssertOutputsCached(second, "trailing comment edit");
        }

        [Fact]
        public void Editing_one_differentiable_method_leaves_the_others_unchanged()
        {
            var (_, second) = RunTwice(Baseline(), c => ReplaceIn(c, "Model.cs", "x * 2.0 + y", "x * 3.0 + y"));
            foreach (var step in new[] { TrackingNames.Methods, TrackingNames.Resolved })
            {
                var outputs = Outputs(second, step).ToList();
                Assert.Contains(outputs, o => MethodName(o.Value) == "A" && o.Reason == IncrementalStepRunReason.Modified);
                Assert.All(outputs.Where(o => MethodName(o.Value) != "A"), o =>
                    Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {MethodName(o.Value)} was {o.Reason}"));
            }

            foreach (var o in Outputs(second, TrackingNames.Registrations))
            {
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"registrations were {o.Reason}");
            }

            // Exactly one source output is redone: A's.
            var redone = second.TrackedOutputSteps.Values.SelectMany(s => s).SelectMany(s => s.Outputs)
                .Count(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
            Assert.Equal(1, redone);
        }

        [Fact]
        public void Editing_a_registration_does_not_re_run_the_front_end()
        {
            var (_, second) = RunTwice(Baseline(), c => ReplaceIn(c, "Other.cs", "dX += seed / (d * d);", "dX += seed / (d * d) * 1.0;"));
            Assert.All(Outputs(second, TrackingNames.Methods), o =>
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{MethodName(o.Value)} was {o.Reason}"));
        }

        [Fact]
        public void The_edited_method_gets_new_code()
        {
            var c1 = Baseline();
            var driver = GeneratorHarness.CreateDriver().RunGenerators(c1);
            string before = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName.Contains("Model.A")).SourceText.ToString();
            driver = driver.RunGenerators(ReplaceIn(c1, "Model.cs", "x * 2.0 + y", "x * 3.0 + y"));
            string after = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName.Contains("Model.A")).SourceText.ToString();
            Assert.Contains("2.0", before);
            Assert.Contains("3.0", after);
        }

        // ---- Declarations another file contributes still reach the front end ----
        // The front end keeps a method's model while its file and every declaration it binds against are unchanged
        // (DeclarationCache): an edit inside another method's body is free, and anything else reads the method again.

        private const string CallerFile = """
            using DiffGen;

            namespace Inc
            {
                public static partial class Caller
                {
                    [Differentiable]
                    public static double F(double x, double y) => Callee.G(x, y) * Settings.Scale;
                }
            }
            """;

        private const string CalleeFile = """
            using DiffGen;

            namespace Inc
            {
                public static partial class Callee
                {
                    [Differentiable]
                    public static double G(double a, double b) => a * b;

                    public static int Unrelated() => 1;
                }

                public static class Settings
                {
                    public const double Scale = 2.5;
                }
            }
            """;

        private static CSharpCompilation CallerAndCallee() => Compilation(Tree(CallerFile, "Caller.cs"), Tree(CalleeFile, "Callee.cs"));

        private static string CallerCode(GeneratorDriver driver) =>
            driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "Inc.Caller.F.g.cs").SourceText.ToString();

        [Fact]
        public void A_callee_signature_changed_in_another_file_changes_the_callers_code()
        {
            var c1 = CallerAndCallee();
            var driver = GeneratorHarness.CreateDriver().RunGenerators(c1);
            string before = CallerCode(driver);
            var c2 = ReplaceIn(c1, "Callee.cs", "G(double a, double b)", "G(double a, [NoDiff] double b)");
            driver = driver.RunGenerators(c2);
            string after = CallerCode(driver);

            Assert.NotEqual(before, after);
            Assert.Equal(Generate(c2)["Inc.Caller.F.g.cs"], after);
            Assert.Contains(Outputs(driver.GetRunResult().Results.Single(), TrackingNames.Methods),
                o => MethodName(o.Value) == "F" && o.Reason == IncrementalStepRunReason.Modified);
        }

        [Fact]
        public void A_constant_changed_in_another_file_reaches_the_callers_model()
        {
            var c1 = CallerAndCallee();
            var driver = GeneratorHarness.CreateDriver().RunGenerators(c1);
            var c2 = ReplaceIn(c1, "Callee.cs", "Scale = 2.5", "Scale = 4.5");
            driver = driver.RunGenerators(c2);

            Assert.Contains(Outputs(driver.GetRunResult().Results.Single(), TrackingNames.Methods),
                o => MethodName(o.Value) == "F" && o.Reason == IncrementalStepRunReason.Modified);
            Assert.Equal(Generate(c2)["Inc.Caller.F.g.cs"], CallerCode(driver));
        }

        [Fact]
        public void Body_edits_in_another_file_keep_the_output_of_a_fresh_run()
        {
            // Several edits in a row through one warm driver (the IDE's path): the output stays what a fresh run gives.
            var c = CallerAndCallee();
            var driver = GeneratorHarness.CreateDriver().RunGenerators(c);
            foreach (var (from, to) in new[] { ("Unrelated() => 1", "Unrelated() => 2"), ("a * b;", "a * b * b;"), ("Unrelated() => 2", "Unrelated() => 3") })
            {
                c = ReplaceIn(c, "Callee.cs", from, to);
                driver = driver.RunGenerators(c);
                var warm = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
                AssertIdentical(Generate(c), new SortedDictionary<string, string>(warm, StringComparer.Ordinal));
            }
        }

        /// <summary>The generator's internal declaration comparison, reached by reflection (as the catalogue is).</summary>
        private static bool DeclarationsEquivalent(Compilation a, Compilation b)
        {
            var type = typeof(DifferentiableGenerator).Assembly.GetType("DiffGen.Generator.FrontEnd.Declarations", throwOnError: true)!;
            var of = type.GetMethod("Of", BindingFlags.Public | BindingFlags.Static)!;
            var equivalent = type.GetMethod("EquivalentTo", BindingFlags.Public | BindingFlags.Instance)!;
            return (bool)equivalent.Invoke(of.Invoke(null, new object[] { b }), new object[] { of.Invoke(null, new object[] { a })!, System.Threading.CancellationToken.None })!;
        }

        [Theory]
        [InlineData("Unrelated() => 1", "Unrelated() => 42", true)]
        [InlineData("a * b;", "a + b;", true)]
        [InlineData("public static int Unrelated", "// a comment\n        public static int Unrelated", true)]
        [InlineData("Scale = 2.5", "Scale = 3.5", false)]
        [InlineData("G(double a, double b)", "G(double a, float b)", false)]
        [InlineData("G(double a, double b)", "G(double a, [NoDiff] double b)", false)]
        [InlineData("public static int Unrelated() => 1;", "public static int Unrelated() => 1; public static double G(float a, float b) => a;", false)]
        [InlineData("using DiffGen;", "using DiffGen;\nusing static System.Math;", false)]
        public void Declarations_are_equivalent_only_when_no_declaration_changed(string from, string to, bool equivalent)
        {
            var c1 = CallerAndCallee();
            var c2 = ReplaceIn(c1, "Callee.cs", from, to);
            Assert.Equal(equivalent, DeclarationsEquivalent(c1, c2));
        }

        [Fact]
        public void Declarations_differ_when_a_file_a_reference_or_an_option_changes()
        {
            var c1 = CallerAndCallee();
            Assert.True(DeclarationsEquivalent(c1, c1.Clone()));
            Assert.False(DeclarationsEquivalent(c1, c1.AddSyntaxTrees(Tree("namespace Inc { static class Extra { } }", "Extra.cs"))));
            Assert.False(DeclarationsEquivalent(c1, c1.RemoveReferences(c1.References.Last())));
            Assert.False(DeclarationsEquivalent(c1, c1.WithOptions(c1.Options.WithOverflowChecks(true))));
            Assert.False(DeclarationsEquivalent(c1, c1.WithAssemblyName("Other")));
        }

        // ---- No Roslyn objects in cached models ----

        private static readonly Type[] s_forbidden =
        {
            typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(Location), typeof(SemanticModel), typeof(SyntaxTree), typeof(IOperation),
        };

        /// <summary>Walks an object graph through all instance fields (public and private), arrays and enumerables.</summary>
        private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen, List<string> problems)
        {
            if (value is null || value is string || value is Type || value.GetType().IsPrimitive || value.GetType().IsEnum || value is decimal)
            {
                return;
            }

            var type = value.GetType();
            if (s_forbidden.Any(f => f.IsAssignableFrom(type)) || type == typeof(SyntaxToken) || type == typeof(SyntaxTrivia))
            {
                problems.Add($"{path}: {type.FullName}");
                return;
            }

            if (!type.IsValueType && !seen.Add(value))
            {
                return;
            }

            if (value is Array array)
            {
                int i = 0;
                foreach (var item in array)
                {
                    AssertNoRoslynObjects(item, $"{path}[{i++}]", seen, problems);
                }

                return;
            }

            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (s_forbidden.Any(f => f.IsAssignableFrom(field.FieldType)))
                    {
                        problems.Add($"{path}.{field.Name}: declared as {field.FieldType.Name}");
                        continue;
                    }

                    AssertNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen, problems);
                }
            }
        }

        [Fact]
        public void No_step_output_holds_a_symbol_syntax_node_compilation_or_location()
        {
            // Include a method with diagnostics, so diagnostic models (with their locations) are walked too.
            var c = Baseline().AddSyntaxTrees(Tree("""
                using System;
                using DiffGen;
                namespace Inc
                {
                    public static partial class Bad
                    {
                        [Differentiable]
                        public static double F(double x) => Math.Floor(x) + Model.Helper(x);

                        [Differentiable]
                        public double NotStatic(double x) => x;
                    }
                }
                """, "Bad.cs"));
            var r = GeneratorHarness.CreateDriver().RunGenerators(c).GetRunResult().Results.Single();
            Assert.NotEmpty(r.Diagnostics);

            var problems = new List<string>();
            int walked = 0;
            foreach (var step in s_trackedSteps)
            {
                foreach (var (name, value, _) in Outputs(r, step))
                {
                    walked++;
                    AssertNoRoslynObjects(value, $"{name}:{MethodName(value) ?? value.GetType().Name}", new HashSet<object>(ReferenceEqualityComparer.Instance), problems);
                }
            }

            Assert.True(walked >= 4, $"walked only {walked} outputs");
            Assert.True(problems.Count == 0, "Roslyn objects in cached models:\n" + string.Join("\n", problems.Distinct().Take(30)));
        }

        [Fact]
        public void The_object_walker_finds_a_planted_location()
        {
            // The walker itself must be able to fail.
            var problems = new List<string>();
            var planted = new { Inner = new object[] { 1, new List<object> { Location.None } } };
            AssertNoRoslynObjects(planted, "planted", new HashSet<object>(ReferenceEqualityComparer.Instance), problems);
            Assert.NotEmpty(problems);
        }

        // ---- Determinism ----

        private static SortedDictionary<string, string> Generate(CSharpCompilation c) =>
            new(GeneratorHarness.CreateDriver().RunGenerators(c).GetRunResult().Results.Single().GeneratedSources
                .ToDictionary(s => s.HintName, s => s.SourceText.ToString()), StringComparer.Ordinal);

        private static void AssertIdentical(SortedDictionary<string, string> a, SortedDictionary<string, string> b)
        {
            Assert.Equal(a.Keys, b.Keys);
            foreach (var key in a.Keys)
            {
                Assert.True(a[key] == b[key], $"{key} differs:\n" + Snapshot.Diff(a[key], b[key]));
            }
        }

        [Fact]
        public void Output_is_byte_identical_across_two_runs()
        {
            var first = Generate(Baseline());
            var second = Generate(Baseline());
            Assert.Equal(3, first.Count);
            AssertIdentical(first, second);
        }

        [Fact]
        public void Output_is_byte_identical_when_the_files_are_given_in_reverse_order()
        {
            var forward = Generate(Compilation(Tree(ModelFile, "Model.cs"), Tree(OtherFile, "Other.cs")));
            var reversed = Generate(Compilation(Tree(OtherFile, "Other.cs"), Tree(ModelFile, "Model.cs")));
            AssertIdentical(forward, reversed);
        }

        [Fact]
        public void Output_does_not_depend_on_the_current_culture()
        {
            var invariant = Generate(Baseline());
            var saved = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("de-DE");
                CultureInfo.CurrentUICulture = new CultureInfo("de-DE");
                AssertIdentical(invariant, Generate(Baseline()));
            }
            finally
            {
                CultureInfo.CurrentCulture = saved;
                CultureInfo.CurrentUICulture = saved;
            }
        }

        [Fact]
        public void Hint_names_are_derived_from_the_type_and_method()
        {
            Assert.Equal(new[] { "Inc.Model.A.g.cs", "Inc.Model.B.g.cs", "Inc.Other.C.g.cs" }, Generate(Baseline()).Keys);
        }
    }
}
