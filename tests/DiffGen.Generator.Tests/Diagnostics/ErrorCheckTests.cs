using System;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DiffGen.Generator.Tests.Diagnostics
{
    /// <summary>
    /// The front end judges whether a method compiles from its own binding (FrontEnd/ErrorCheck.cs) instead of asking
    /// the compiler for the method's diagnostics, which binds the body a second time. For each kind of error: the
    /// generator does not throw, and whatever it generates compiles.
    /// </summary>
    public sealed class ErrorCheckTests
    {
        private static string Source(string member) =>
            "using System;\nusing DiffGen;\npublic static partial class M\n{\n    static double P => 1;\n    static double Field;\n    static void V(out double o) { o = 1; }\n    "
            + member + "\n}\n";

        /// <summary>Errors the check finds: no generated code, no DG diagnostic.</summary>
        [Theory]
        [InlineData("CS0161", "[Differentiable] public static double F(double x) { if (x > 0) return 1; }")]
        [InlineData("CS0161", "[Differentiable] public static double F(double x) { for (int i = 0; i < 3; i++) { x *= 2; } }")]
        [InlineData("CS0126", "[Differentiable] public static double F(double x) { if (x > 0) { return; } return x; }")]
        [InlineData("CS0266", "[Differentiable] public static double F(double x) { int i = x; return i * x; }")]
        [InlineData("CS0029", "[Differentiable] public static double F(double x) { double y = x > 0 ? 1 : \"a\"; return y; }")]
        [InlineData("CS0019", "[Differentiable] public static double F(double x) { return \"a\" - x; }")]
        [InlineData("CS0020", "[Differentiable] public static double F(double x) { int n = 1 / 0; return n * x; }")]
        [InlineData("CS0220", "[Differentiable] public static double F(double x) { int n = int.MaxValue + 1; return n * x; }")]
        [InlineData("CS0133", "[Differentiable] public static double F(double x) { const double c = x; return c * x; }")]
        [InlineData("CS0815", "[Differentiable] public static double F(double x) { var v = null; return x; }")]
        [InlineData("CS0818", "[Differentiable] public static double F(double x) { var v; return x; }")]
        [InlineData("CS0847", "[Differentiable] public static double F(double x) { double[] a = new double[2] { x }; return a[0]; }")]
        [InlineData("CS0841", "[Differentiable] public static double F(double x) { y = x; double y = 2; return y; }")]
        [InlineData("CS0200", "[Differentiable] public static double F(double x) { P = 2; return x; }")]
        [InlineData("CS0139", "[Differentiable] public static double F(double x) { break; return x; }")]
        [InlineData("CS1620", "[Differentiable] public static double F(double x) { V(x); return x; }")]
        [InlineData("CS0165", "[Differentiable] public static double F(double x) { double y; return x * y; }")]
        [InlineData("CS0165", "[Differentiable] public static double F(double x) { double y; if (x > 0) y = 1; return x * y; }")]
        [InlineData("CS0165", "[Differentiable] public static double F(double x) { for (int i = 0; i < 3; i++) { double t; x += t; } return x; }")]
        [InlineData("CS0165", "[Differentiable] public static double F(double x) { double y = y + x; return y; }")]
        [InlineData("CS0165", "[Differentiable] public static double F(double x) { double y; while (x > 1) { y = x; x /= 2; } return x * y; }")]
        [InlineData("CS0165", "[Differentiable] public static double F(double x) { double[] a; double s = 0; if (x > 0) { a = new double[1]; s = a[0]; } return s + a.Length * x; }")]
        public void Errors_found_from_the_binding_give_no_code_and_no_DG_diagnostic(string id, string member)
        {
            var run = GeneratorHarness.Run(Source(member));
            Assert.Contains(run.Input.GetDiagnostics(), d => d.Id == id);
            AssertNoFailure(run);
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id.StartsWith("DG", StringComparison.Ordinal));
            Assert.DoesNotContain(run.Sources.Keys, k => k.StartsWith("M.F", StringComparison.Ordinal));
        }

        /// <summary>
        /// Errors in the declaration (signature, modifiers, attributes). The compiler's declaration check is costly, so
        /// the front end asks it only for a signature that is not plain (FrontEnd/SignatureCheck.cs); each of these must
        /// still end without code and without a DG diagnostic.
        /// </summary>
        [Theory]
        [InlineData("CS0246", "[Differentiable] public static double F(double x, Foo y) { return x; }")]
        [InlineData("CS0246", "[Differentiable] public static double F(double x, Foo[] y) { return x; }")]
        [InlineData("CS0246", "[Differentiable] public static double F(double x, ReadOnlySpan<Foo> y) { return x; }")]
        [InlineData("CS0246", "[Differentiable, Foo] public static double F(double x) { return x; }")]
        [InlineData("CS0246", "[Differentiable] public static double F([Foo] double x) { return x; }")]
        [InlineData("CS0100", "[Differentiable] public static double F(double x, double x) { return x; }")]
        [InlineData("CS0107", "[Differentiable] public private static double F(double x) { return x; }")]
        [InlineData("CS0106", "[Differentiable] public static readonly double F(double x) { return x; }")]
        [InlineData("CS1750", "[Differentiable] public static double F(double x, double y = \"a\") { return x * y; }")]
        [InlineData("CS0225", "[Differentiable] public static double F(double x, params double y) { return x * y; }")]
        [InlineData("CS0579", "[Differentiable][Differentiable] public static double F(double x) { return x; }")]
        [InlineData("CS0592", "[Differentiable] public static double F([Differentiable] double x) { return x; }")]
        [InlineData("CS0266", "[Differentiable(Modes = 99)] public static double F(double x) { return x; }")]
        [InlineData("CS0051", "private struct Hidden { public double V; }\n    [Differentiable] public static double F(double x, Hidden h) { return x * h.V; }")]
        public void Declaration_errors_give_no_code_and_no_DG_diagnostic(string id, string member)
        {
            var source = Source(member);
            var run = GeneratorHarness.Run(source);
            Assert.Contains(run.Input.GetDiagnostics(), d => d.Id == id);
            AssertNoFailure(run);
            Assert.True(!run.GeneratorDiagnostics.Any(d => d.Id.StartsWith("DG", StringComparison.Ordinal)), id + ": " + string.Join("\n", run.GeneratorDiagnostics));
            Assert.DoesNotContain(run.Sources.Keys, k => k.StartsWith("M.F", StringComparison.Ordinal));
        }

        /// <summary>
        /// Errors the check leaves to the compiler (names in overlapping scopes), or that only the compiler's flow analysis
        /// reports, in methods that DiffGen would reject anyway: whatever is generated compiles, and a DG diagnostic
        /// of the front end is not added to the compiler's error.
        /// </summary>
        [Theory]
        [InlineData("CS0128", "[Differentiable] public static double F(double x) { double y = x; double y = 2 * x; return y; }")]
        [InlineData("CS0136", "[Differentiable] public static double F(double a) { double a = a > 1 ? a : 1.0; return a; }")]
        [InlineData("CS0136", "[Differentiable] public static double F(double x) { for (int i = 0; i < 2; i++) { for (int i = 0; i < 2; i++) { x *= 2; } } return x; }")]
        [InlineData("CS0136", "[Differentiable] public static double F(double x) { double x = 1; return x; }")]
        [InlineData("CS0177", "[Differentiable] public static double F(double x, out double o) { return x; }")]
        [InlineData("CS0269", "[Differentiable] public static double F(double x, out double o) { double z = o; o = 1; return x * z; }")]
        [InlineData("CS0127", "[Differentiable] public static void F(double x) { return x; }")]
        [InlineData("CS0152", "[Differentiable] public static double F(double x) { switch ((int)x) { case 1: return x; case 1: return 2 * x; } return 0; }")]
        [InlineData("CS0185", "[Differentiable] public static double F(double x) { lock (x) { } return x; }")]
        // The error is at the other member: the first F compiles and gets code, which must not repeat the error.
        [InlineData("CS0111", "[Differentiable] public static double F(double x) { return x; }\n    [Differentiable] public static double F(double y) { return y; }")]
        [InlineData("CS0102", "[Differentiable] public static double F(double x) { return x; }\n    static int F;")]
        public void Errors_found_only_by_the_compiler_produce_no_broken_code(string id, string member)
        {
            var source = Source(member);
            var run = GeneratorHarness.Run(source);
            Assert.Contains(run.Input.GetDiagnostics(), d => d.Id == id);
            AssertNoFailure(run);
            var outcome = FuzzOracle.Check(source);
            Assert.True(outcome.Problems.Count == 0, string.Join("\n\n", outcome.Problems.Select(p => p.Group + "\n" + p.Detail)));
            Assert.True(!run.GeneratorDiagnostics.Any(d => d.Id.StartsWith("DG", StringComparison.Ordinal)), id + ": " + string.Join("\n", run.GeneratorDiagnostics));
        }

        /// <summary>
        /// An error the check does not see, in a method whose DG diagnostic comes from the passes after the front end
        /// (here DG0008, a call without a derivative): the diagnostic stays next to the compiler's CS0619; no code.
        /// </summary>
        [Fact]
        public void A_pass_diagnostic_on_a_method_with_an_unseen_error_comes_without_code()
        {
            var source = Source("[Differentiable] public static double F(double x) => O(x) * x;\n    [Obsolete(\"no\", true)] static double O(double x) => x;");
            var run = GeneratorHarness.Run(source);
            Assert.Contains(run.Input.GetDiagnostics(), d => d.Id == "CS0619");
            AssertNoFailure(run);
            Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "DG0008");
            Assert.DoesNotContain(run.Sources.Keys, k => k.StartsWith("M.F", StringComparison.Ordinal));
            Assert.Empty(FuzzOracle.Check(source).Problems);
        }

        /// <summary>Locals declared without a value and assigned on every path before they are read: the code is generated.</summary>
        [Theory]
        [InlineData("[Differentiable] public static double F(double x) { double y; if (x > 0) { y = x; } else { y = -x; } return y * y; }")]
        [InlineData("[Differentiable] public static double F(double x) { double y, z; y = x * x; z = y + x; return z * y; }")]
        [InlineData("[Differentiable] public static double F(double x) { double y; y = x; for (int i = 0; i < 3; i++) { double t; t = y * x; y += t; } return y; }")]
        [InlineData("[Differentiable] public static double F(double x) { double y; if (x > 0) { y = x; } else { return x; } return y * y; }")]
        public void Locals_assigned_before_every_read_still_get_code(string member)
        {
            var run = GeneratorHarness.Run(Source(member));
            Assert.DoesNotContain(run.Input.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
            AssertNoFailure(run);
            Assert.Contains(run.Sources.Keys, k => k.StartsWith("M.F", StringComparison.Ordinal));
            Assert.Empty(FuzzOracle.Check(Source(member)).Problems);
        }

        /// <summary>
        /// A warning the project turns into an error (TreatWarningsAsErrors) is the user's to fix, not a reason to leave
        /// the method without code: its callers would fail to find the generated methods. (The compiler's span
        /// diagnostics, which the front end asked before, came with the project's severities applied.)
        /// </summary>
        [Fact]
        public void A_warning_reported_as_an_error_does_not_stop_generation()
        {
            var input = GeneratorHarness.CreateCompilation(Source("[Differentiable] public static double F(double x) { double unused = 1; return x * x; }"));
            input = input.WithOptions(input.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Error));
            Assert.Contains(input.GetDiagnostics(), d => d.Id == "CS0219" && d.Severity == DiagnosticSeverity.Error);
            var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out _);
            var result = driver.GetRunResult();
            Assert.Contains(result.Results.SelectMany(r => r.GeneratedSources), s => s.HintName.StartsWith("M.F", StringComparison.Ordinal));
            var inputs = input.SyntaxTrees.ToHashSet();
            var generated = output.SyntaxTrees.Where(t => !inputs.Contains(t)).SelectMany(t => output.GetSemanticModel(t).GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.True(generated.Count == 0, string.Join("\n", generated));
        }

        private static void AssertNoFailure(GeneratorRun run)
        {
            foreach (var result in run.Result.Results)
            {
                Assert.True(result.Exception is null, "The generator threw: " + result.Exception);
            }

            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
        }
    }
}
