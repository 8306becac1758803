using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using DiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DiffGen.Generator.Tests.Diagnostics
{
    /// <summary>One broken promise found by the oracle. <see cref="Key"/> groups failures that are the same bug.</summary>
    internal sealed record FuzzProblem(string Kind, string Key, string Detail)
    {
        public string Group => Kind + ": " + Key;
    }

    /// <summary>What one generator run on one source produced, and the promises it broke.</summary>
    internal sealed class FuzzOutcome
    {
        public List<FuzzProblem> Problems { get; } = new();

        public List<Diagnostic> DgDiagnostics { get; } = new();

        public SortedDictionary<string, string> Generated { get; } = new(StringComparer.Ordinal);

        /// <summary>The user's own code has compile errors (the state of half-typed code).</summary>
        public bool InputHasErrors { get; set; }

        /// <summary>DG diagnostics reported on a [Differentiable] method that itself has compile errors (noise next to the compiler's own error).</summary>
        public int DiagnosticsOnBrokenMethods { get; set; }
    }

    /// <summary>
    /// Runs the generator on a source and checks what must hold for every input, however broken: no exception and no
    /// generator-failure diagnostic; every DG diagnostic is a catalogued id with a formatted message and a precise
    /// location in the user's file (inside the text, on token boundaries, with a consistent line span); a method with a
    /// DG error gets no generated code; generated code compiles without errors or warnings; and a run that reuses a
    /// warm driver (the IDE's incremental path) gives exactly what a fresh run gives.
    /// </summary>
    internal static class FuzzOracle
    {
        public const string FilePath = "Model.cs";

        private static readonly Lazy<CSharpCompilation> s_empty = new(() => GeneratorHarness.CreateCompilation());

        /// <summary>The catalogue, read from the generator's internal DiagnosticDescriptors class.</summary>
        public static IReadOnlyDictionary<string, DiagnosticDescriptor> Catalogue { get; } = LoadCatalogue();

        private static IReadOnlyDictionary<string, DiagnosticDescriptor> LoadCatalogue()
        {
            var type = typeof(DifferentiableGenerator).Assembly.GetType("DiffGen.Generator.Diagnostics.DiagnosticDescriptors", throwOnError: true)!;
            return type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
                .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
                .ToDictionary(d => d.Id, StringComparer.Ordinal);
        }

        public static SyntaxTree Parse(string source) => CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: FilePath);

        /// <summary>Runs the generator on <paramref name="source"/>; with <paramref name="warmFrom"/>, also runs it incrementally after a run on that source, and compares.</summary>
        public static FuzzOutcome Check(string source, string? warmFrom = null)
        {
            var outcome = new FuzzOutcome();
            var tree = Parse(source);
            var input = s_empty.Value.AddSyntaxTrees(tree);
            var fresh = RunDriver(GeneratorHarness.CreateDriver(), input, outcome, "fresh");
            if (fresh is null)
            {
                return outcome;
            }

            var (output, result) = fresh.Value;
            var text = tree.GetText();
            var root = tree.GetRoot();
            outcome.InputHasErrors = input.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);

            foreach (var diagnostic in result.Diagnostics)
            {
                if (diagnostic.Id.StartsWith("DG", StringComparison.Ordinal))
                {
                    outcome.DgDiagnostics.Add(diagnostic);
                    CheckDiagnostic(diagnostic, text, root, input, outcome);
                }
            }

            foreach (var generated in result.Results.SelectMany(r => r.GeneratedSources))
            {
                outcome.Generated[generated.HintName] = generated.SourceText.ToString();
            }

            CheckErroneousMethodsHaveNoCode(root, outcome);
            CheckGeneratedCode(input, output, outcome);

            if (warmFrom is not null)
            {
                CheckIncremental(warmFrom, source, outcome);
            }

            return outcome;
        }

        private static (Compilation Output, GeneratorDriverRunResult Result)? RunDriver(GeneratorDriver driver, Compilation input, FuzzOutcome outcome, string mode)
        {
            Compilation output;
            ImmutableArray<Diagnostic> driverDiagnostics;
            GeneratorDriverRunResult result;
            try
            {
                driver = driver.RunGeneratorsAndUpdateCompilation(input, out output, out driverDiagnostics);
                result = driver.GetRunResult();
            }
            catch (Exception e)
            {
                outcome.Problems.Add(new FuzzProblem("exception escaped the driver (" + mode + ")", ExceptionKey(e), e.ToString()));
                return null;
            }

            foreach (var r in result.Results)
            {
                if (r.Exception is { } e)
                {
                    outcome.Problems.Add(new FuzzProblem("generator threw (" + mode + ")", ExceptionKey(e), e.ToString()));
                }
            }

            foreach (var d in driverDiagnostics.Concat(result.Diagnostics).Distinct())
            {
                if (d.Id is "CS8784" or "CS8785")
                {
                    outcome.Problems.Add(new FuzzProblem("generator-failure diagnostic (" + mode + ")", d.Id, d.ToString()));
                }
            }

            return (output, result);
        }

        private static string ExceptionKey(Exception e)
        {
            // Group by type and message with names stripped: 'M.F.g.cs' and 'N.G.g.cs' are the same bug.
            string message = Regex.Replace(e.Message, "'[^']*'", "'…'");
            string frame = e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("DiffGen.Generator", StringComparison.Ordinal)) ?? string.Empty;
            frame = Regex.Replace(frame, @" in .*$", string.Empty);
            return e.GetType().Name + ": " + message + (frame.Length > 0 ? " " + frame : string.Empty);
        }

        /// <summary>The location of a DG diagnostic as a span in the user's file, or null with a problem recorded.</summary>
        public static string? LocationProblem(Diagnostic diagnostic, SourceText text, SyntaxNode root)
        {
            var location = diagnostic.Location;
            if (location.Kind == LocationKind.None)
            {
                return "no location";
            }

            string path = location.SourceTree?.FilePath ?? location.GetLineSpan().Path;
            if (path != FilePath)
            {
                return "location in '" + path + "', not in the user's file";
            }

            var span = location.SourceSpan;
            if (span.Start < 0 || span.End > text.Length)
            {
                return $"span {span} outside the text (length {text.Length})";
            }

            if (span.IsEmpty)
            {
                return $"empty span {span}";
            }

            var expectedLines = text.Lines.GetLinePositionSpan(span);
            if (location.GetLineSpan().Span != expectedLines)
            {
                return $"line span {location.GetLineSpan().Span} does not match span {span} ({expectedLines})";
            }

            var first = root.FindToken(span.Start);
            var last = root.FindToken(span.End - 1);
            if (first.SpanStart != span.Start || last.Span.End != span.End)
            {
                return $"span {span} '{text.ToString(span)}' does not start and end on token boundaries";
            }

            return null;
        }

        private static void CheckDiagnostic(Diagnostic diagnostic, SourceText text, SyntaxNode root, Compilation input, FuzzOutcome outcome)
        {
            if (!Catalogue.TryGetValue(diagnostic.Id, out var descriptor))
            {
                outcome.Problems.Add(new FuzzProblem("uncatalogued diagnostic id", diagnostic.Id, diagnostic.ToString()));
                return;
            }

            if (diagnostic.Severity != descriptor.DefaultSeverity)
            {
                outcome.Problems.Add(new FuzzProblem("severity differs from the catalogue", diagnostic.Id, diagnostic.ToString()));
            }

            string message;
            try
            {
                message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e)
            {
                outcome.Problems.Add(new FuzzProblem("message does not format", diagnostic.Id, e.ToString()));
                return;
            }

            if (Regex.IsMatch(message, @"\{\d\}") || message.Contains("''", StringComparison.Ordinal))
            {
                outcome.Problems.Add(new FuzzProblem("message has an unfilled or empty argument", diagnostic.Id, message));
            }

            if (LocationProblem(diagnostic, text, root) is { } problem)
            {
                outcome.Problems.Add(new FuzzProblem("bad location", diagnostic.Id + " " + Regex.Replace(problem, @"[\d(),\[\]]+|'[^']*'", string.Empty), problem + "\n" + diagnostic));
                return;
            }

            // Noise statistics: a DG diagnostic on a method that does not compile yet.
            var method = root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<MethodDeclarationSyntax>();
            if (method is not null && input.GetSemanticModel(method.SyntaxTree).GetDiagnostics(method.Span).Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                outcome.DiagnosticsOnBrokenMethods++;
            }
        }

        /// <summary>A [Differentiable] method with a DG error must not get generated code (its hint name is Type.Method.g.cs).</summary>
        private static void CheckErroneousMethodsHaveNoCode(SyntaxNode root, FuzzOutcome outcome)
        {
            foreach (var diagnostic in outcome.DgDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.Kind != LocationKind.None))
            {
                var span = diagnostic.Location.SourceSpan;
                if (span.End > root.FullSpan.End)
                {
                    continue;
                }

                var method = root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<MethodDeclarationSyntax>();
                if (method is null || method.Parent is not TypeDeclarationSyntax type || !HasDifferentiable(method))
                {
                    continue;
                }

                // Only when the name is unambiguous in the file: overloads share a hint name.
                string name = method.Identifier.Text;
                if (root.DescendantNodes().OfType<MethodDeclarationSyntax>().Count(m => m.Identifier.Text == name) != 1
                    || root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Count(t => t.Identifier.Text == type.Identifier.Text) != 1)
                {
                    continue;
                }

                string suffix = "." + type.Identifier.Text + "." + name + ".g.cs";
                string? hint = outcome.Generated.Keys.FirstOrDefault(h => h.EndsWith(suffix, StringComparison.Ordinal) || h == type.Identifier.Text + "." + name + ".g.cs");
                if (hint is not null)
                {
                    outcome.Problems.Add(new FuzzProblem("code generated for a method with a DG error", diagnostic.Id, diagnostic + "\nbut generated " + hint));
                }
            }
        }

        private static bool HasDifferentiable(MethodDeclarationSyntax method) =>
            method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Differentiable" or "DifferentiableAttribute" or "DiffGen.Differentiable");

        /// <summary>
        /// Generated trees must have no error and no warning (users build with TreatWarningsAsErrors). Two warnings are
        /// exempt: CS1591 (missing XML docs, a property of the user's project) and CS8981 (a lower-case type name, which
        /// the user's own declaration of the partial type already reports).
        /// </summary>
        private static void CheckGeneratedCode(Compilation input, Compilation output, FuzzOutcome outcome)
        {
            var inputTrees = new HashSet<SyntaxTree>(input.SyntaxTrees);
            foreach (var tree in output.SyntaxTrees.Where(t => !inputTrees.Contains(t)))
            {
                var model = output.GetSemanticModel(tree);
                foreach (var d in model.GetDiagnostics())
                {
                    if (d.Severity == DiagnosticSeverity.Error)
                    {
                        outcome.Problems.Add(new FuzzProblem("generated code does not compile", d.Id, d + "\n" + tree.FilePath + ":\n" + tree));
                    }
                    else if (d.Severity == DiagnosticSeverity.Warning && d.Id is not ("CS1591" or "CS8981"))
                    {
                        outcome.Problems.Add(new FuzzProblem("generated code has a warning", d.Id, d + "\n" + tree.FilePath + ":\n" + tree));
                    }
                }
            }
        }

        /// <summary>The IDE's path: a warm driver that saw the original source gets the edited one; it must give what a fresh run gives.</summary>
        private static void CheckIncremental(string original, string edited, FuzzOutcome outcome)
        {
            var before = Parse(original);
            var first = s_empty.Value.AddSyntaxTrees(before);
            GeneratorDriver driver;
            try
            {
                driver = GeneratorHarness.CreateDriver().RunGenerators(first);
            }
            catch (Exception e)
            {
                outcome.Problems.Add(new FuzzProblem("exception escaped the driver (warm-up)", ExceptionKey(e), e.ToString()));
                return;
            }

            var after = Parse(edited);
            var second = first.ReplaceSyntaxTree(before, after);
            var scratch = new FuzzOutcome();
            if (RunDriver(driver, second, scratch, "incremental") is not { } run)
            {
                outcome.Problems.AddRange(scratch.Problems);
                return;
            }

            outcome.Problems.AddRange(scratch.Problems);
            var incrementalDiagnostics = run.Result.Diagnostics.Where(d => d.Id.StartsWith("DG", StringComparison.Ordinal)).Select(Describe).OrderBy(s => s, StringComparer.Ordinal).ToList();
            var freshDiagnostics = outcome.DgDiagnostics.Select(Describe).OrderBy(s => s, StringComparer.Ordinal).ToList();
            if (!incrementalDiagnostics.SequenceEqual(freshDiagnostics))
            {
                outcome.Problems.Add(new FuzzProblem("incremental run reports different diagnostics", "DG",
                    "fresh:\n  " + string.Join("\n  ", freshDiagnostics) + "\nincremental:\n  " + string.Join("\n  ", incrementalDiagnostics)));
            }

            var incrementalSources = run.Result.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());
            bool same = incrementalSources.Count == outcome.Generated.Count
                && outcome.Generated.All(kv => incrementalSources.TryGetValue(kv.Key, out var other) && other == kv.Value);
            if (!same)
            {
                var differing = outcome.Generated.Keys.Union(incrementalSources.Keys)
                    .Where(k => !outcome.Generated.TryGetValue(k, out var a) || !incrementalSources.TryGetValue(k, out var b) || a != b);
                outcome.Problems.Add(new FuzzProblem("incremental run generates different code", "sources", "differing: " + string.Join(", ", differing)));
            }
        }

        private static string Describe(Diagnostic d) => d.Id + " " + d.Location.SourceSpan + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
    }
}
