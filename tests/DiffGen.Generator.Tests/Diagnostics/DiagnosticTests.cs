using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using DiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DiffGen.Generator.Tests.Diagnostics
{
    /// <summary>
    /// One or more tests per DG id: the source marks each expected diagnostic with <c>{|DG0006:...|}</c> around its exact
    /// span, and <see cref="Verify"/> checks that the generator reports exactly those ids at exactly those spans (no more,
    /// no fewer), with the catalogued severity, in the user's file, and that it generates no code for the erroneous method.
    /// </summary>
    public sealed class DiagnosticTests
    {
        // ------------------------------------------------------------------ DG0001 method not static

        [Fact]
        public void DG0001_instance_method_is_reported_at_its_name()
        {
            var run = Verify("""
                using DiffGen;
                public partial class M
                {
                    [Differentiable] public double {|DG0001:F|}(double x) => x * x;
                    [Differentiable] public static double G(double x) => x * x;
                }
                """, notGenerated: new[] { "M.F" }, generated: new[] { "M.G" });
            Assert.Contains("'F'", Message(run, "DG0001"), StringComparison.Ordinal);
            Assert.Contains("static", Message(run, "DG0001"), StringComparison.Ordinal);
        }

        // ------------------------------------------------------------------ DG0002 type not partial

        [Fact]
        public void DG0002_non_partial_type_is_reported_at_the_type_name()
        {
            var run = Verify("""
                using DiffGen;
                public static class {|DG0002:M|}
                {
                    [Differentiable] public static double F(double x) => x * x;
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains("'M'", Message(run, "DG0002"), StringComparison.Ordinal);
            Assert.Contains("'F'", Message(run, "DG0002"), StringComparison.Ordinal);
        }

        [Fact]
        public void DG0002_every_non_partial_enclosing_type_is_reported()
        {
            Verify("""
                using DiffGen;
                public class {|DG0002:Outer|}
                {
                    public partial class Middle
                    {
                        public record struct {|DG0002:Inner|}(double A)
                        {
                            [Differentiable] public static double F(double x) => x * x;
                        }
                    }
                }
                """, notGenerated: new[] { "Inner.F" });
        }

        // ------------------------------------------------------------------ DG0003 return type

        [Theory]
        [InlineData("int", "(int)x")]
        [InlineData("double[]", "new double[1]")]
        [InlineData("decimal", "(decimal)x")]
        [InlineData("double?", "x")]
        public void DG0003_unsupported_return_type_is_reported_at_the_return_type(string type, string value)
        {
            var run = Verify($$"""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static {|DG0003:{{type}}|} F(double x) => {{value}};
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains("'" + type + "'", Message(run, "DG0003"), StringComparison.Ordinal);
        }

        [Fact]
        public void DG0003_void_method()
        {
            Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static {|DG0003:void|} F(double x) { }
                }
                """, notGenerated: new[] { "M.F" });
        }

        // ------------------------------------------------------------------ DG0004 parameter type

        [Fact]
        public void DG0004_each_unsupported_parameter_is_reported_at_the_parameter()
        {
            var run = Verify("""
                using System.Collections.Generic;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x, {|DG0004:string s|}, long n, {|DG0004:List<double> l|}, {|DG0004:int[] idx|}, {|DG0004:double? maybe|}) => x;
                }
                """, notGenerated: new[] { "M.F" });
            var messages = run.GeneratorDiagnostics.Select(d => d.GetMessage()).ToList();
            Assert.Contains(messages, m => m.Contains("'s'", StringComparison.Ordinal) && m.Contains("'string'", StringComparison.Ordinal));
            Assert.Contains(messages, m => m.Contains("'idx'", StringComparison.Ordinal) && m.Contains("'int[]'", StringComparison.Ordinal));
        }

        [Fact]
        public void DG0004_span_includes_the_parameters_attributes()
        {
            // [NoDiff] does not make an unsupported type acceptable: DiffGen still has to pass the value through.
            Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double x, {|DG0004:[NoDiff] string label|}) => x;
                }
                """, notGenerated: new[] { "M.F" });
        }

        // ------------------------------------------------------------------ DG0005 ref/out/in

        [Fact]
        public void DG0005_ref_out_and_in_parameters_are_each_reported()
        {
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F({|DG0005:ref double x|}, {|DG0005:out double y|}, {|DG0005:in double z|})
                    {
                        y = 0;
                        return x + z;
                    }
                }
                """, notGenerated: new[] { "M.F" });
            var messages = run.GeneratorDiagnostics.Select(d => d.GetMessage()).ToList();
            Assert.Contains(messages, m => m.Contains("'x'", StringComparison.Ordinal) && m.Contains("'ref'", StringComparison.Ordinal));
            Assert.Contains(messages, m => m.Contains("'y'", StringComparison.Ordinal) && m.Contains("'out'", StringComparison.Ordinal));
            Assert.Contains(messages, m => m.Contains("'z'", StringComparison.Ordinal) && m.Contains("'in'", StringComparison.Ordinal));
        }

        // ------------------------------------------------------------------ DG0006 statements

        [Fact]
        public void DG0006_goto_is_reported_at_the_statement()
        {
            // The labeled statement is reported too: it is not a supported statement either.
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x)
                    {
                        {|DG0006:goto done;|}
                        {|DG0006:done: return x;|}
                    }
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains("goto", run.GeneratorDiagnostics.First().GetMessage(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("try { x = x * 2; } finally { }")]
        [InlineData("switch ((int)x) { case 1: x = x * 2; break; }")]
        [InlineData("lock (typeof(object)) { x = x * 2; }")]
        [InlineData("using (var s = new System.IO.MemoryStream()) { }")]
        [InlineData("throw new System.InvalidOperationException();")]
        [InlineData("double Square(double v) => v * v;")]
        public void DG0006_unsupported_statement_is_reported_at_the_whole_statement(string statement)
        {
            Verify($$"""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x)
                    {
                        {|DG0006:{{statement}}|}
                        return x;
                    }
                }
                """, notGenerated: new[] { "M.F" });
        }

        [Fact]
        public void DG0006_a_call_whose_result_is_discarded()
        {
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x)
                    {
                        {|DG0006:System.Math.Sin(x)|};
                        return x;
                    }
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains("discarded", Message(run, "DG0006"), StringComparison.Ordinal);
        }

        [Fact]
        public void DG0006_local_of_an_unsupported_type_is_reported_at_its_declarator()
        {
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x)
                    {
                        string {|DG0006:label = "a"|};
                        return x;
                    }
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains("'string'", Message(run, "DG0006"), StringComparison.Ordinal);
        }

        [Fact]
        public void DG0006_buffers_allocated_in_loops_or_branches()
        {
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double[] w)
                    {
                        double s = 0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            var {|DG0006:b = new double[2]|};
                            b[0] = w[i];
                            s += b[0];
                        }

                        if (s > 0)
                        {
                            System.Span<double> {|DG0006:c = stackalloc double[1]|};
                            c[0] = s;
                            s = c[0];
                        }

                        return s;
                    }
                }
                """, notGenerated: new[] { "M.F" });
            Assert.All(run.GeneratorDiagnostics, d => Assert.Contains("top level", d.GetMessage(), StringComparison.Ordinal));
        }

        [Fact]
        public void DG0006_buffer_aliases_and_reassignments()
        {
            Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double[] w)
                    {
                        ReadOnlySpan<double> {|DG0006:alias = w|};
                        var b = new double[2];
                        {|DG0006:b = new double[3]|};
                        b[0] = alias[0];
                        return b[0];
                    }
                }
                """, notGenerated: new[] { "M.F" });
        }

        // ------------------------------------------------------------------ DG0007 expressions

        [Theory]
        [InlineData("x * (k << 1)", "k << 1")]
        [InlineData("x * ~k", "~k")]
        [InlineData("(x is > 0) ? x : -x", "x is > 0")]
        [InlineData("k switch { 0 => x, _ => 2 * x }", "k switch { 0 => x, _ => 2 * x }")]
        [InlineData("x > 0 ? x : throw new System.ArgumentException()", "throw new System.ArgumentException()")]
        public void DG0007_unsupported_expression_is_reported_at_the_expression(string body, string offending)
        {
            string marked = body.Replace(offending, "{|DG0007:" + offending + "|}", StringComparison.Ordinal);
            var run = Verify($$"""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double x, int k) => {{marked}};
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains(offending.Length > 37 ? offending.Substring(0, 30) : offending, Message(run, "DG0007"), StringComparison.Ordinal);
        }

        [Fact]
        public void DG0007_index_from_end()
        {
            Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double[] x) => x[{|DG0007:^1|}];
                }
                """, notGenerated: new[] { "M.F" });
        }

        [Fact]
        public void DG0007_user_defined_conversion()
        {
            var run = Verify("""
                using DiffGen;
                public readonly struct Meters
                {
                    public readonly double Value;
                    public Meters(double value) { Value = value; }
                    public static explicit operator double(Meters m) => m.Value;
                }

                public static partial class M
                {
                    [Differentiable] public static double F(double x) => x * {|DG0007:(double)new Meters(2.0)|};
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains("user-defined", Message(run, "DG0007"), StringComparison.Ordinal);
        }

        // ------------------------------------------------------------------ DG0008 no derivative

        [Fact]
        public void DG0008_unknown_call_is_reported_at_the_call_expression()
        {
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    private static double Helper(double v) => v * 2;

                    [Differentiable] public static double F(double x) => {|DG0008:Helper(x)|} + 1;
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains("'M.Helper'", Message(run, "DG0008"), StringComparison.Ordinal);
            Assert.Contains("[DerivativeOf]", Message(run, "DG0008"), StringComparison.Ordinal);
        }

        [Fact]
        public void DG0008_unknown_call_in_another_type_nested_in_a_math_call_and_in_a_loop()
        {
            Verify("""
                using DiffGen;
                public static class Helpers
                {
                    public static double Twice(double v) => v * 2;
                }

                public static partial class M
                {
                    [Differentiable]
                    public static double F(double[] x)
                    {
                        double s = System.Math.Sin({|DG0008:Helpers.Twice(x[0])|});
                        for (int i = 0; i < x.Length; i++)
                        {
                            s += {|DG0008:Helpers.Twice(x[i])|};
                        }

                        return s;
                    }
                }
                """, notGenerated: new[] { "M.F" });
        }

        [Theory]
        [InlineData("System.Math.Round(x, 2)")]
        [InlineData("System.Math.BitIncrement(x)")]
        [InlineData("x.CompareTo(1.0)")]
        [InlineData("System.Math.ReciprocalEstimate(x)")]
        public void DG0008_library_calls_without_a_rule(string call)
        {
            Verify($$"""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double x) => x * {|DG0008:{{call}}|};
                }
                """, notGenerated: new[] { "M.F" });
        }

        [Fact]
        public void DG0008_call_with_a_ref_argument()
        {
            Verify("""
                using DiffGen;
                public static partial class M
                {
                    private static double Peek(ref double v) => v;

                    [Differentiable]
                    public static double F(double x)
                    {
                        double y = x;
                        return {|DG0008:Peek(ref y)|};
                    }
                }
                """, notGenerated: new[] { "M.F" });
        }

        [Fact]
        public void DG0008_is_not_reported_for_differentiable_or_registered_callees()
        {
            Verify("""
                using System;
                using DiffGen;
                public static class External
                {
                    public static double Cube(double v) => v * v * v;
                }

                public static partial class M
                {
                    [DerivativeOf(typeof(External), nameof(External.Cube))]
                    public static double CubeBackward(double v, double seed, ref double dV)
                    {
                        dV += seed * 3 * v * v;
                        return v * v * v;
                    }

                    [Differentiable] public static double Square(double v) => v * v;

                    [Differentiable] public static double F(double x) => Square(x) + External.Cube(x) + DiffMath.Sigmoid(x);
                }
                """, generated: new[] { "M.F", "M.Square" });
        }

        // ------------------------------------------------------------------ DG0009 side effects

        [Fact]
        public void DG0009_writes_to_fields_and_properties_are_reported_at_the_assignment()
        {
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    private static double s_last;
                    private static double Total { get; set; }

                    [Differentiable]
                    public static double F(double x)
                    {
                        {|DG0009:s_last = x|};
                        {|DG0009:Total += x|};
                        return x;
                    }
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'s_last'", StringComparison.Ordinal));
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'Total'", StringComparison.Ordinal));
        }

        [Fact]
        public void DG0009_writes_into_parameter_arrays_and_spans_are_reported_at_the_element()
        {
            var run = Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double[] w, Span<double> s)
                    {
                        {|DG0009:w[0]|} = 1;
                        {|DG0009:s[1]|} += w[0];
                        return w[1] + s[0];
                    }
                }
                """, notGenerated: new[] { "M.F" });
            Assert.All(run.GeneratorDiagnostics, d => Assert.Contains("local buffer", d.GetMessage(), StringComparison.Ordinal));
        }

        // ------------------------------------------------------------------ DG0010 recursion

        [Fact]
        public void DG0010_recursive_call_is_reported_at_the_call()
        {
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double Power(double x, int n) => n == 0 ? 1 : x * {|DG0010:Power(x, n - 1)|};
                }
                """, notGenerated: new[] { "M.Power" });
            Assert.Contains("loop", Message(run, "DG0010"), StringComparison.Ordinal);
        }

        // ------------------------------------------------------------------ DG0011 zero derivative (warning)

        [Fact]
        public void DG0011_piecewise_constant_functions_of_active_values_warn_at_the_call_and_code_is_still_generated()
        {
            var run = Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x, [NoDiff] double c)
                    {
                        double y = 2 * x;
                        return {|DG0011:Math.Floor(x)|} + {|DG0011:Math.Round(y)|} + {|DG0011:Math.Ceiling(x)|} + {|DG0011:Math.Truncate(x)|}
                            + {|DG0011:Math.Sign(x)|} + Math.Floor(c) + x;
                    }
                }
                """, generated: new[] { "M.F" });
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'Math.Floor'", StringComparison.Ordinal) && d.GetMessage().Contains("'x'", StringComparison.Ordinal));
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'Math.Round'", StringComparison.Ordinal) && d.GetMessage().Contains("'y'", StringComparison.Ordinal));
            Assert.DoesNotContain(run.CompileDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        }

        [Fact]
        public void DG0011_casts_of_active_reals_to_integers_warn_at_the_cast()
        {
            var run = Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x, [NoDiff] double c, double[] w)
                    {
                        int k = {|DG0011:(int)(x * 3)|};
                        double n = {|DG0011:(long)x|};
                        int m = (int)c;
                        return w[k % w.Length] * x + n + m;
                    }
                }
                """, generated: new[] { "M.F" });
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'(long)'", StringComparison.Ordinal) && d.GetMessage().Contains("'x'", StringComparison.Ordinal));
            Assert.Contains("(long)x", run.Sources["M.F.g.cs"], StringComparison.Ordinal);
        }

        [Fact]
        public void DG0011_is_not_reported_for_inactive_arguments()
        {
            Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x, [NoDiff] double c, int k) => x * Math.Floor(c) + Math.Round(2.5) + Math.Sign(k);
                }
                """, generated: new[] { "M.F" });
        }

        // ------------------------------------------------------------------ DG0012 [DerivativeOf]

        [Theory]
        [InlineData("[{|DG0012:DerivativeOf(\"Nope\")|}] public static double GBackward(double x, double seed, ref double dX) => x;", "no method 'Nope'")]
        [InlineData("[{|DG0012:DerivativeOf(nameof(G))|}] public static double GBackward(double x, double seed) => x;", "expected 3 parameters")]
        [InlineData("[{|DG0012:DerivativeOf(nameof(G))|}] public static double GBackward(double x, float seed, ref double dX) => x;", "seed")]
        [InlineData("[{|DG0012:DerivativeOf(nameof(G))|}] public static double GBackward(double x, double seed, double dX) => x;", "'ref double'")]
        [InlineData("[{|DG0012:DerivativeOf(nameof(G))|}] public static double GBackward(float x, double seed, ref double dX) => x;", "parameter 1")]
        [InlineData("[{|DG0012:DerivativeOf(nameof(I))|}] public static double IBackward(double x, double seed, ref double dX) => x;", "must return double or float")]
        [InlineData("[{|DG0012:DerivativeOf(nameof(S))|}] public static double SBackward(ReadOnlySpan<double> x, double seed, ref double dX) => x[0];", "Span<T>")]
        [InlineData("[{|DG0012:DerivativeOf(typeof(Math), \"Nope\")|}] public static double NBackward(double x, double seed, ref double dX) => x;", "'System.Math'")]
        [InlineData("[{|DG0012:DerivativeOf(null!)|}] public static double NBackward(double x, double seed, ref double dX) => x;", "needs a method name")]
        public void DG0012_invalid_registration_is_reported_at_the_attribute(string registration, string explanation)
        {
            var run = Verify($$"""
                using System;
                using DiffGen;
                public static partial class M
                {
                    public static double G(double x) => x;
                    public static int I(double x) => 1;
                    public static double S(ReadOnlySpan<double> x) => x[0];

                    {{registration}}
                }
                """);
            Assert.Contains(explanation, Message(run, "DG0012"), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("""
            using DiffGen;
            public partial class M
            {
                public static double G(double x) => x;

                [{|DG0012:DerivativeOf(nameof(G))|}]
                public double GBackward(double x, double seed, ref double dX)
                {
                    dX += seed;
                    return x;
                }

                [Differentiable] public static double F(double x) => G(x) * 2;
            }
            """)]
        [InlineData("""
            using DiffGen;
            public static class Library
            {
                public static double G(double x) => x;
            }

            public static partial class Registrations
            {
                [{|DG0012:DerivativeOf(typeof(Library), nameof(Library.G))|}]
                private static double GBackward(double x, double seed, ref double dX)
                {
                    dX += seed;
                    return x;
                }
            }

            public static partial class M
            {
                [Differentiable] public static double F(double x) => Library.G(x) * 2;
            }
            """)]
        [InlineData("""
            using DiffGen;
            public static class Library
            {
                public static double G(double x) => x;
            }

            public static partial class Registrations
            {
                [{|DG0012:DerivativeOf(typeof(Library), nameof(Library.G))|}]
                public static double GBackward(double x, out double seed, ref double dX)
                {
                    seed = 0;
                    return x;
                }
            }

            public static partial class M
            {
                [Differentiable] public static double F(double x) => Library.G(x) * 2;
            }
            """)]
        public void DG0012_a_pullback_the_generated_code_cannot_call_is_reported(string markup)
        {
            // An instance method, a private method in another type, or an out seed would be accepted and then called
            // from F's generated code, which would not compile (CS0120, CS0122, CS1620).
            var (source, spans) = Markup.Parse(markup);
            var run = GeneratorHarness.Run(source);
            AssertNoGeneratorFailure(run);
            Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "DG0012" && d.Location.SourceSpan == spans[0].Span);
            var errors = GeneratedErrors(run);
            Assert.True(errors.Count == 0, "errors in generated code: " + string.Join("\n", errors));
        }

        [Fact]
        public void DG0012_every_attribute_of_a_method_is_checked()
        {
            // [DerivativeOf] allows multiple use; a bad second registration must not be silently ignored.
            Verify("""
                using DiffGen;
                public static partial class M
                {
                    public static double G(double x) => x;

                    [DerivativeOf(nameof(G))]
                    [{|DG0012:DerivativeOf("Nope")|}]
                    public static double GBackward(double x, double seed, ref double dX)
                    {
                        dX += seed;
                        return x;
                    }
                }
                """);
        }

        [Fact]
        public void DG0012_one_pullback_may_register_for_two_targets()
        {
            // Both registrations count, so neither call is "unknown" (DG0008).
            Verify("""
                using DiffGen;
                public static partial class M
                {
                    public static double G(double x) => x;
                    public static double H(double x) => x;

                    [DerivativeOf(nameof(G))]
                    [DerivativeOf(nameof(H))]
                    public static double IdentityBackward(double x, double seed, ref double dX)
                    {
                        dX += seed;
                        return x;
                    }

                    [Differentiable] public static double F(double x) => G(x) * H(x);
                }
                """, generated: new[] { "M.F" });
        }

        // ------------------------------------------------------------------ DG0013 generic

        [Fact]
        public void DG0013_generic_method_is_reported_at_its_name()
        {
            Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double {|DG0013:F|}<T>(double x) => x;
                }
                """, notGenerated: new[] { "M.F" });
        }

        // ------------------------------------------------------------------ DG0014 name clash

        [Fact]
        public void DG0014_existing_gradient_or_backward_member_is_reported_once_per_name()
        {
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double {|DG0014:{|DG0014:F|}|}(double x) => x;
                    public static void FGradient() { }
                    public static int FBackward;
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'FGradient'", StringComparison.Ordinal));
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'FBackward'", StringComparison.Ordinal));
        }

        [Fact]
        public void DG0014_a_type_parameter_named_like_a_generated_method_is_a_clash()
        {
            // Found by the fuzzer: class M<FBackward> cannot also hold a method FBackward (CS0102).
            var run = Verify("""
                using DiffGen;
                public partial class M<FBackward>
                {
                    [Differentiable] public static double {|DG0014:F|}(double x) => x * x;
                }
                """, notGenerated: new[] { "M`1.F" });
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'FBackward'", StringComparison.Ordinal));
        }

        [Fact]
        public void DG0014_a_clash_declared_in_a_user_file_named_like_generated_code_is_still_a_clash()
        {
            // Users (and other generators) name files *.g.cs too; only DiffGen's own output may be skipped.
            var (source, spans) = Markup.Parse("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double {|DG0014:F|}(double x) => x;
                }
                """);
            const string other = "public static partial class M { public static double FGradient(double x, out double dX) { dX = 1; return x; } }";
            var input = GeneratorHarness.CreateCompilation().AddSyntaxTrees(
                CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "Model.cs"),
                CSharpSyntaxTree.ParseText(other, GeneratorHarness.ParseOptions, path: "Helpers.g.cs"));
            var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out _);
            var diagnostics = driver.GetRunResult().Diagnostics;
            Assert.Equal(spans.Select(s => ("DG0014", s.Span)), diagnostics.Select(d => (d.Id, d.Location.SourceSpan)));
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }

        // ------------------------------------------------------------------ DG0015 mutable state

        [Fact]
        public void DG0015_reads_of_mutable_fields_and_properties_are_reported_at_the_read()
        {
            var run = Verify("""
                using DiffGen;
                public sealed class Box { public double Value = 1; }
                public static partial class M
                {
                    private static double s_scale = 2;
                    private static double Offset { get; } = 1;

                    [Differentiable]
                    public static double F(double x) => x * {|DG0015:s_scale|} + {|DG0015:Offset|} + {|DG0015:new Box().Value|} + {|DG0015:System.DateTime.Now.Second|};
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'s_scale'", StringComparison.Ordinal) && d.GetMessage().Contains("[NoDiff]", StringComparison.Ordinal));
        }

        [Fact]
        public void DG0015_is_not_reported_for_constants_static_readonly_fields_and_lengths()
        {
            Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    private const double Scale = 2;
                    private static readonly double Offset = Math.Sqrt(2);

                    [Differentiable]
                    public static double F(double[] w, double[,] m) => w[0] * Scale + Offset + Math.PI + w.Length + m.GetLength(1) + double.Epsilon;
                }
                """, generated: new[] { "M.F" });
        }

        // ------------------------------------------------------------------ DG0016 active jagged array

        [Fact]
        public void DG0016_active_jagged_arrays_are_reported_at_the_parameter_and_NoDiff_ones_are_accepted()
        {
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x, [NoDiff] double[][] rows, {|DG0016:double[][] weights|}, {|DG0016:float[][] more|}) => x * rows[0][0];
                }
                """, notGenerated: new[] { "M.F" });
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'weights'", StringComparison.Ordinal) && d.GetMessage().Contains("[NoDiff]", StringComparison.Ordinal));
        }

        // ------------------------------------------------------------------ DG0017 forward / second order

        [Fact]
        public void DG0017_active_calls_in_hessian_mode_and_matrix_arguments_in_forward_mode_are_reported_at_the_call()
        {
            var run = Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double G(double x) => x * x;
                    [Differentiable] public static double S(ReadOnlySpan<double> w, double x) => w[0] * x;

                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)]
                    public static double F(double x) => G(x) * 2 + G(3) + DiffMath.Sigmoid(x);

                    [Differentiable] public static double Q(double[,] m, double x) => m[0, 0] * x;

                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)]
                    public static double T(ReadOnlySpan<double> w, double x) => S(w, x);

                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)]
                    public static double U(double[,] m, double x) => {|DG0017:Q(m, x)|};

                    public static double Cube(double x) => x * x * x;
                    [DerivativeOf(nameof(Cube))] public static double CubeBackward(double x, double seed, ref double dX) { dX += 3 * x * x * seed; return x * x * x; }

                    // DiffMath.Sigmoid has a hand-written SigmoidHessianVector; Cube's pullback has no such companion.
                    [Differentiable(Modes = DiffModes.Hessian)]
                    public static double H(double x) => {|DG0017:G(x)|} + {|DG0017:Cube(x)|} + DiffMath.Sigmoid(x);
                }
                """, notGenerated: new[] { "M.U", "M.H" }, generated: new[] { "M.G", "M.S", "M.F", "M.T", "M.Q" });
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("CubeHessianVector", StringComparison.Ordinal));
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("'M.G' with DiffModes.Hessian", StringComparison.Ordinal));
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("matrix argument", StringComparison.Ordinal));
        }

        // ------------------------------------------------------------------ no false positives

        [Theory]
        [InlineData("jagged [NoDiff] rows and their Length", """
            using DiffGen;
            public static partial class M
            {
                [Differentiable]
                public static double F(double w, [NoDiff] double[][] rows)
                {
                    double s = 0;
                    for (int r = 0; r < rows.Length; r++)
                    {
                        s += w * rows[r][0] * rows[r].Length;
                    }

                    return s;
                }
            }
            """)]
        [InlineData("an array passed to a span parameter of a differentiable callee and of DiffMath", """
            using System;
            using DiffGen;
            public static partial class M
            {
                [Differentiable] public static double Norm(ReadOnlySpan<double> v) => v[0] * v[0];

                [Differentiable] public static double F(double[] w) => Norm(w) + DiffMath.Dot(w, w);
            }
            """)]
        [InlineData("a span parameter passed to a ReadOnlySpan parameter", """
            using System;
            using DiffGen;
            public static partial class M
            {
                [Differentiable] public static double Norm(ReadOnlySpan<double> v) => v[0] * v[0];

                [Differentiable] public static double F(Span<double> w) => Norm(w);
            }
            """)]
        [InlineData("every supported statement and expression", """
            using System;
            using DiffGen;
            public static partial class M
            {
                private const double Half = 0.5;
                private static readonly double Two = 2.0;

                [Differentiable]
                public static double F(double x, float f, [NoDiff] int n, bool flag, double[] w, double[,] m, ReadOnlySpan<double> s)
                {
                    var buffer = new double[w.Length];
                    Span<double> scratch = stackalloc double[2];
                    double acc = 0;
                    for (int i = 0; i < w.Length; i++)
                    {
                        buffer[i] = w[i] * x;
                        buffer[i] += Half;
                        if (buffer[i] > 10) { break; }
                        if (i % 2 == 1) { continue; }
                        acc += buffer[i];
                    }

                    foreach (var v in s) { acc -= v * Two; }
                    int k = 0;
                    while (k < n) { acc *= 0.99; k++; }
                    do { acc /= 1.01; k--; } while (k > 0);
                    scratch[0] = flag && x > 0 || !flag ? Math.Tanh(acc) : Math.Exp(-acc);
                    scratch[1] = m[0, 0] * m.GetLength(1) + (double)f + MathF.Sin(f);
                    double y = scratch[0];
                    y++;
                    y -= scratch[1];
                    return -y + Math.Pow(x, 2) + Math.Max(x, 1.0) + Math.Clamp(x, -1.0, 1.0) + Math.FusedMultiplyAdd(x, x, 1.0);
                }
            }
            """)]
        public void Supported_code_gets_no_diagnostic(string what, string source)
        {
            var run = Verify(source);
            Assert.True(run.Sources.Count > 0, what + ": no code generated");
        }

        // ------------------------------------------------------------------ several problems at once

        [Fact]
        public void Every_problem_in_a_body_is_reported()
        {
            Verify("""
                using DiffGen;
                public static partial class M
                {
                    private static double s_state;
                    private static double Helper(double v) => v;

                    [Differentiable]
                    public static double F(double x, double[] w)
                    {
                        {|DG0009:s_state = x|};
                        {|DG0009:w[0]|} = x;
                        double y = {|DG0008:Helper(x)|} * {|DG0015:s_state|};
                        {|DG0006:try { y = y * 2; } finally { }|}
                        return y * x * {|DG0010:F(y, w)|} + {|DG0011:System.Math.Floor(x)|};
                    }
                }
                """, notGenerated: new[] { "M.F" });
        }

        [Fact]
        public void Every_problem_in_a_signature_is_reported()
        {
            Verify("""
                using DiffGen;
                public class {|DG0002:M|}
                {
                    [Differentiable]
                    public {|DG0003:int|} {|DG0001:{|DG0013:F|}|}<T>({|DG0005:ref double x|}, {|DG0004:string s|}, {|DG0016:double[][] j|}) => 0;
                }
                """, notGenerated: new[] { "M.F" });
        }

        [Fact]
        public void Problems_in_the_signature_do_not_hide_problems_in_the_body()
        {
            Verify("""
                using DiffGen;
                public partial class M
                {
                    private static double Helper(double v) => v;

                    [Differentiable]
                    public double {|DG0001:F|}(double x)
                    {
                        {|DG0006:goto end;|}
                        {|DG0006:end: return x;|}
                    }

                    [Differentiable]
                    public static double G(double x, {|DG0004:string label|}) => {|DG0008:Helper(x)|};
                }
                """, notGenerated: new[] { "M.F", "M.G" });
        }

        [Fact]
        public void A_bad_method_does_not_stop_code_generation_for_its_neighbours()
        {
            Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double Good(double x) => x * x;
                    [Differentiable] public static double Bad(double x) { {|DG0006:goto end;|} {|DG0006:end: return x;|} }
                    [Differentiable] public static double AlsoGood(double x, double y) => Good(x) * y;
                }
                """, notGenerated: new[] { "M.Bad" }, generated: new[] { "M.Good", "M.AlsoGood" });
        }

        // ------------------------------------------------------------------ DG0018 gradient stops at [NoDiff] (warning)

        [Fact]
        public void DG0018_active_argument_for_a_NoDiff_parameter_of_a_callee_warns_at_the_call_and_code_is_generated()
        {
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double Scaled(double x, [NoDiff] double c) => x * c;

                    [Differentiable]
                    public static double Caller(double x, double y, [NoDiff] double k) => {|DG0018:Scaled(x, y)|} + Scaled(y, k) + Scaled(x, 2);
                }
                """, generated: new[] { "M.Scaled", "M.Caller" });
            Assert.Contains("'c'", Message(run, "DG0018"), StringComparison.Ordinal);
            Assert.Contains("'M.Scaled'", Message(run, "DG0018"), StringComparison.Ordinal);
        }

        // ------------------------------------------------------------------ DG0019 broken callee

        [Fact]
        public void DG0019_calls_to_a_differentiable_method_with_DG_errors_are_reported_at_each_call()
        {
            // G cannot be differentiated, so GBackward is never generated: F must not get code that calls it.
            // G(3) is a constant: it is only called, so it needs no pullback.
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double G(double x) { {|DG0006:goto end;|} {|DG0006:end: return x;|} }
                    [Differentiable] public static double F(double x) => {|DG0019:G(x)|} * 2 + G(3);
                }
                """, notGenerated: new[] { "M.F", "M.G" });
            Assert.Contains("'M.G'", Message(run, "DG0019"), StringComparison.Ordinal);
        }

        [Fact]
        public void DG0019_follows_the_call_graph_and_pipeline_errors()
        {
            // H has an unknown call (found after lowering), G calls H, F calls G: none of them can be generated,
            // and each caller is told at its call. Forward-only K has no pullback either.
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double H(double x) => {|DG0008:System.Math.BitIncrement(x)|};
                    [Differentiable] public static double G(double x) => {|DG0019:H(x)|} + 1;
                    [Differentiable] public static double F(double x) => {|DG0019:G(x)|} * x;
                    [Differentiable(Modes = DiffModes.Forward)] public static double K(double x) => x * x;
                    [Differentiable] public static double L(double x) => {|DG0019:K(x)|};
                }
                """, notGenerated: new[] { "M.F", "M.G", "M.H", "M.L" }, generated: new[] { "M.K" });
            Assert.Contains("DiffModes.Reverse", Message(run, "DG0019"), StringComparison.Ordinal);
        }

        [Fact]
        public void Element_increments_write_local_buffers_and_are_DG0009_on_parameters()
        {
            Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double[] w) { {|DG0009:w[0]|}++; return w[0]; }
                }
                """, notGenerated: new[] { "M.F" });
            var type = GeneratorHarness.Load("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x)
                    {
                        Span<double> buf = stackalloc double[2];
                        buf[0] = x;
                        buf[0]++;
                        double before = buf[1]--;
                        return buf[0] * x + buf[1] + before;
                    }
                }
                """).GetType("M")!;
            var args = new object[] { 1.5, 0.0 };
            double value = (double)type.GetMethod("FGradient")!.Invoke(null, args)!;
            Assert.Equal((1.5 + 1) * 1.5 - 1, value, 12); // f = (x + 1)·x − 1 + 0
            Assert.Equal(2 * 1.5 + 1, (double)args[1], 12); // f' = 2x + 1
        }

        [Fact]
        public void DG0007_array_and_span_properties_other_than_Length_are_reported_as_unsupported_expressions()
        {
            var run = Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double[] w, ReadOnlySpan<double> s) => w[0] * {|DG0007:w.Rank|} + ({|DG0007:s.IsEmpty|} ? 0 : s[0]);
                }
                """, notGenerated: new[] { "M.F" });
            Assert.All(run.GeneratorDiagnostics, d => Assert.Contains("only Length", d.GetMessage(), StringComparison.Ordinal));
        }

        [Fact]
        public void DG0008_is_not_reported_for_calls_on_data_alone()
        {
            // Plain helpers on [NoDiff] data, integers and constants are just called; the generated code calls them.
            var run = Verify("""
                using DiffGen;
                public static partial class M
                {
                    public static double Scale(double c, int k) => c * k;
                    [Differentiable]
                    public static double F(double x, [NoDiff] double c, int k) => x * Scale(c, k) + Scale(2.0, 3) + {|DG0008:Scale(x, k)|};
                    [Differentiable]
                    public static double G(double x, [NoDiff] double c, int k) => x * Scale(c, k) + Scale(2.0, k);
                }
                """, notGenerated: new[] { "M.F" }, generated: new[] { "M.G" });
            Assert.Contains("Scale(c, k)", run.Sources["M.G.g.cs"], StringComparison.Ordinal);
        }

        [Fact]
        public void Two_pullbacks_with_one_signature_register_nothing_rather_than_an_ambiguous_call()
        {
            string source = """
                using DiffGen;
                public static partial class M
                {
                    public static double G(double x) => x;
                    public static double H(double x) => x;
                    [DerivativeOf(nameof(G))] public static double IdentityBackward(double x, double seed, ref double dX) { dX += seed; return x; }
                    [DerivativeOf(nameof(H))] public static double IdentityBackward(double x, double seed, ref double dX) { dX += seed; return x; }
                    [Differentiable] public static double F(double x) => G(x) * H(x);
                }
                """;
            var run = GeneratorHarness.Run(source);
            AssertNoGeneratorFailure(run);
            Assert.Empty(GeneratedErrors(run));
            Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "DG0008");
        }

        [Theory]
        [InlineData("[Differentiable] public static double G(double x) { return x * ; }")]
        [InlineData("[Differentiable  static double G(double x) => x * x;")]
        [InlineData("[Differentiable] public static double G(double x, [NoDiff] ) => x;")]
        public void DG0019_a_half_typed_callee_does_not_make_the_callers_code_uncompilable(string callee)
        {
            string source = "using DiffGen;\npublic static partial class M\n{\n    " + callee
                + "\n    [Differentiable] public static double F(double x) => G(x) * 2;\n}\n";
            var run = GeneratorHarness.Run(source);
            AssertNoGeneratorFailure(run);
            var errors = GeneratedErrors(run);
            Assert.True(errors.Count == 0, "errors in generated code: " + string.Join("\n", errors));
            Assert.DoesNotContain(run.Sources.Keys, k => k == "M.F.g.cs");
        }

        // ------------------------------------------------------------------ DG0020 [Output]

        [Fact]
        public void DG0020_misused_output_parameters_are_reported_at_the_parameter()
        {
            var run = Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static void Array(double a, {|DG0020:[Output] double[] y|}) { }
                    [Differentiable] public static void ReadOnly(double a, {|DG0020:[Output] ReadOnlySpan<double> y|}) { }
                    [Differentiable] public static double Returns(double a, {|DG0020:[Output] Span<double> y|}) { y[0] = a; return a; }
                    [Differentiable] public static void Data(double a, {|DG0020:[Output, NoDiff] Span<double> y|}) { }
                    [Differentiable] public static void Two(double a, {|DG0020:[Output] Span<double> y|}, {|DG0020:[Output] Span<double> z|}) { }
                    [Differentiable] public static void Mixed(double a, {|DG0020:[Output] Span<float> y|}) { }
                }
                """, notGenerated: new[] { "M.Array", "M.ReadOnly", "M.Returns", "M.Data", "M.Two", "M.Mixed" });
            var messages = run.GeneratorDiagnostics.Select(d => d.GetMessage()).ToList();
            Assert.Contains(messages, m => m.Contains("Span<double> or Span<float>", StringComparison.Ordinal));
            Assert.Contains(messages, m => m.Contains("returns void", StringComparison.Ordinal));
            Assert.Contains(messages, m => m.Contains("remove one of the two attributes", StringComparison.Ordinal));
            Assert.Contains(messages, m => m.Contains("more than one [Output]", StringComparison.Ordinal));
            Assert.Contains(messages, m => m.Contains("one precision", StringComparison.Ordinal));
        }

        [Fact]
        public void DG0017_second_order_of_a_vector_valued_method_and_matrix_inputs_to_its_Jacobian_are_reported_at_the_method()
        {
            var run = Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable(Modes = DiffModes.Hessian)]
                    public static void {|DG0017:Curve|}(double t, [Output] Span<double> y) { y[0] = t * t; }

                    [Differentiable(Modes = DiffModes.Jacobian)]
                    public static void {|DG0017:Product|}(double[,] a, [Output] Span<double> y) { y[0] = a[0, 0] * a[0, 1]; }

                    [Differentiable]
                    public static void Fine(double[,] a, [Output] Span<double> y) { y[0] = a[0, 0] * a[0, 1]; }
                }
                """, notGenerated: new[] { "M.Curve", "M.Product" }, generated: new[] { "M.Fine" });
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("tensor", StringComparison.Ordinal));
            Assert.Contains(run.GeneratorDiagnostics, d => d.GetMessage().Contains("flat span", StringComparison.Ordinal));
        }

        [Fact]
        public void DG0006_a_call_to_a_vector_valued_method_says_so()
        {
            var run = Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static void Polar(double r, double theta, [Output] Span<double> xy) { xy[0] = r * Math.Cos(theta); xy[1] = r * Math.Sin(theta); }

                    [Differentiable]
                    public static double Loss(double r, double theta)
                    {
                        Span<double> xy = stackalloc double[2];
                        {|DG0006:Polar(r, theta, xy)|};
                        return xy[0] * xy[1];
                    }
                }
                """, notGenerated: new[] { "M.Loss" }, generated: new[] { "M.Polar" });
            Assert.Contains("vector-valued method 'Polar'", Message(run, "DG0006"), StringComparison.Ordinal);
        }

        [Fact]
        public void DG0009_writing_into_a_span_other_than_the_output_is_still_reported()
        {
            Verify("""
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static void F(Span<double> x, [Output] Span<double> y)
                    {
                        {|DG0009:x[0]|} = 1;
                        y[0] = x[0];
                    }
                }
                """, notGenerated: new[] { "M.F" });
        }

        // ------------------------------------------------------------------ half-typed code

        [Theory]
        [InlineData("[Differentiable] public static double F(double x) { var y = x * ; return y }")]
        [InlineData("[Differentiable] public static double F(double x) => Undefined(x);")]
        [InlineData("[Differentiable] public static double F(double x) => x * missing;")]
        [InlineData("[Differentiable] public static double F(double x) { double y = x; y. ; return y; }")]
        [InlineData("[Differentiable] public static double F(double x) { if (x > 0 { return x; } return -x; }")]
        [InlineData("[Differentiable] public static double F(double x) { for (int i = 0; i < ; i++) { x *= 2; } return x; }")]
        [InlineData("[Differentiable] public static double F(double x) => System.Math.Sin(x, x);")]
        [InlineData("[Differentiable] public static double F(double x) { return; }")]
        [InlineData("[Differentiable] public static double F(double x) { }")]
        [InlineData("[Differentiable] public static double F(double x)")]
        [InlineData("[Differentiable] public static doubl F(double x) => x;")]
        [InlineData("[Differentiable] public static double F(doubl x) => x;")]
        [InlineData("[Differentiable] public static double F(double) => 0;")]
        [InlineData("[Differentiable] public static double F(double")]
        [InlineData("[Differentiable] public static double F(double x, [NoDiff] ) => x;")]
        [InlineData("[Differentiable] public static F(double x) => x;")]
        [InlineData("[Differentiable] public static double (double x) => x;")]
        [InlineData("[Differentiable(] public static double F(double x) => x;")]
        [InlineData("[DerivativeOf(nameof(G))] public static double GBackward(double x, double seed, ref double dX) => x;")]
        [InlineData("[DerivativeOf(typeof(Missing), \"G\")] public static double GBackward(double x, double seed, ref double dX) => x;")]
        public void Half_typed_code_gets_no_DG_diagnostic_and_no_exception(string member)
        {
            string source = "using DiffGen;\npublic static partial class M\n{\n    " + member + "\n}\n";
            var run = GeneratorHarness.Run(source);
            Assert.NotEmpty(run.Input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            AssertNoGeneratorFailure(run);
            Assert.True(
                !run.GeneratorDiagnostics.Any(d => d.Id.StartsWith("DG", StringComparison.Ordinal)),
                "The compiler already reports this code; DiffGen added:\n" + string.Join("\n", run.GeneratorDiagnostics));
            Assert.Empty(GeneratedErrors(run));
        }

        // ------------------------------------------------------------------ locations and the catalogue

        [Fact]
        public void Diagnostics_are_located_in_the_users_syntax_tree()
        {
            // An external-file location (Location.Create(path, span, lineSpan)) has no SourceTree, so the compiler
            // cannot apply #pragma warning disable, [SuppressMessage] or per-file .editorconfig severities to it.
            var run = GeneratorHarness.Run("""
                using DiffGen;
                public static partial class M
                {
                #pragma warning disable DG0011
                    [Differentiable] public static double F(double x) => System.Math.Floor(x) + x;
                #pragma warning restore DG0011
                    [Differentiable] public double G(double x) => x;
                }
                """);
            Assert.NotEmpty(run.GeneratorDiagnostics);
            var tree = run.Input.SyntaxTrees.Single();
            Assert.All(run.GeneratorDiagnostics, d =>
            {
                Assert.True(d.Location.IsInSource, d.Id + " has a " + d.Location.Kind + " location");
                Assert.Same(tree, d.Location.SourceTree);
            });
        }

        [Fact]
        public void Diagnostics_in_a_second_file_point_into_that_file()
        {
            var run = GeneratorHarness.Run(
                "public static class Unrelated { }",
                "using DiffGen;\npublic partial class M\n{\n    [Differentiable] public double F(double x) => x;\n}\n");
            var d = Assert.Single(run.GeneratorDiagnostics);
            Assert.Equal("Model1.cs", d.Location.GetLineSpan().Path);
            Assert.Equal(new LinePosition(3, 35), d.Location.GetLineSpan().StartLinePosition);
        }

        [Fact]
        public void Every_catalogued_id_has_a_help_link_a_release_entry_a_documentation_page_and_a_span_test()
        {
            string root = FuzzSources.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
            string releases = File.ReadAllText(Path.Combine(root, "src", "Generator", "AnalyzerReleases.Unshipped.md"))
                + File.ReadAllText(Path.Combine(root, "src", "Generator", "AnalyzerReleases.Shipped.md"));
            string index = File.ReadAllText(Path.Combine(root, "docs", "diagnostics", "README.md"));
            string tests = File.ReadAllText(ThisFile());
            var problems = new List<string>();
            foreach (var descriptor in FuzzOracle.Catalogue.Values.OrderBy(d => d.Id, StringComparer.Ordinal))
            {
                string id = descriptor.Id;
                if (descriptor.HelpLinkUri != "https://github.com/diffgen/diffgen/blob/main/docs/diagnostics/" + id + ".md")
                {
                    problems.Add(id + ": help link " + descriptor.HelpLinkUri);
                }

                string row = id + " | " + descriptor.Category + " | " + descriptor.DefaultSeverity;
                if (!releases.Contains(row, StringComparison.Ordinal))
                {
                    problems.Add(id + ": no '" + row + "' row in AnalyzerReleases.*.md");
                }

                string page = Path.Combine(root, "docs", "diagnostics", id + ".md");
                if (!File.Exists(page))
                {
                    problems.Add(id + ": no " + page);
                }
                else
                {
                    string text = File.ReadAllText(page);
                    if (!text.StartsWith("# " + id + ": " + descriptor.Title, StringComparison.Ordinal))
                    {
                        problems.Add(id + ": the page's title is not '# " + id + ": " + descriptor.Title + "'");
                    }

                    if (!text.Contains("**Severity:** " + descriptor.DefaultSeverity, StringComparison.Ordinal))
                    {
                        problems.Add(id + ": the page does not say '**Severity:** " + descriptor.DefaultSeverity + "'");
                    }
                }

                if (!index.Contains("[" + id + "](" + id + ".md)", StringComparison.Ordinal))
                {
                    problems.Add(id + ": not linked from docs/diagnostics/README.md");
                }

                if (!tests.Contains("{|" + id + ":", StringComparison.Ordinal))
                {
                    problems.Add(id + ": no span test in DiagnosticTests.cs");
                }

                if (descriptor.DefaultSeverity != ExpectedSeverity(id))
                {
                    problems.Add(id + ": severity " + descriptor.DefaultSeverity + ", expected " + ExpectedSeverity(id));
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void Documentation_examples_produce_the_diagnostics_they_describe()
        {
            // Each page's first ```csharp block (the example) must produce its id; its second (the fix) must produce no DG error.
            string root = FuzzSources.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
            var problems = new List<string>();
            foreach (var id in FuzzOracle.Catalogue.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                string page = Path.Combine(root, "docs", "diagnostics", id + ".md");
                if (!File.Exists(page))
                {
                    problems.Add(id + ": no page");
                    continue;
                }

                var blocks = Regex.Matches(File.ReadAllText(page), "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
                if (blocks.Count < 2)
                {
                    problems.Add(id + ": expected an example and a fix (two ```csharp blocks), found " + blocks.Count);
                    continue;
                }

                var example = GeneratorHarness.Run(blocks[0]);
                if (!example.GeneratorDiagnostics.Any(d => d.Id == id))
                {
                    problems.Add(id + ": the example reports " + Ids(example) + ", not " + id);
                }

                if (example.Input.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    problems.Add(id + ": the example does not compile: " + example.Input.GetDiagnostics().First(d => d.Severity == DiagnosticSeverity.Error));
                }

                var fix = GeneratorHarness.Run(blocks[1]);
                if (fix.GeneratorDiagnostics.Any(d => d.Id.StartsWith("DG", StringComparison.Ordinal)))
                {
                    problems.Add(id + ": the fix still reports " + Ids(fix));
                }

                var fixErrors = fix.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (fixErrors.Count > 0)
                {
                    problems.Add(id + ": the fix does not compile with the generated code: " + fixErrors[0]);
                }

                if (fix.Sources.Count == 0)
                {
                    problems.Add(id + ": the fix generates no code");
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        // ------------------------------------------------------------------ helpers

        private static DiagnosticSeverity ExpectedSeverity(string id) => id is "DG0011" or "DG0018" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;

        private static string Ids(GeneratorRun run) =>
            run.GeneratorDiagnostics.Length == 0 ? "nothing" : string.Join(", ", run.GeneratorDiagnostics.Select(d => d.Id));

        private static string Message(GeneratorRun run, string id) => run.GeneratorDiagnostics.First(d => d.Id == id).GetMessage();

        private static string ThisFile([CallerFilePath] string path = "") => path;

        /// <summary>
        /// Runs the generator on the marked-up source and asserts that it reports exactly the marked ids at exactly the
        /// marked spans, with the catalogued severity and a location in Model.cs; that it did not fail; that the methods in
        /// <paramref name="notGenerated"/> (as Type.Method) got no code and those in <paramref name="generated"/> did; and
        /// that all generated code compiles.
        /// </summary>
        private static GeneratorRun Verify(string markup, string[]? notGenerated = null, string[]? generated = null)
        {
            var (source, spans) = Markup.Parse(markup);
            var run = GeneratorHarness.Run(source);
            AssertNoGeneratorFailure(run);
            var inputErrors = run.Input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(inputErrors.Count == 0, "The test source itself does not compile:\n" + string.Join("\n", inputErrors));

            var expected = spans.Select(s => (Id: s.Id ?? "?", s.Span)).OrderBy(e => e.Span.Start).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
            var actual = run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("DG", StringComparison.Ordinal))
                .Select(d => (d.Id, Span: d.Location.SourceSpan)).OrderBy(e => e.Span.Start).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
            if (!expected.SequenceEqual(actual))
            {
                Assert.Fail("Expected diagnostics at the marked spans:\n" + Render(source, expected) + "\n\nbut the generator reported:\n"
                    + Render(source, actual) + "\n\n" + string.Join("\n", run.GeneratorDiagnostics));
            }

            var text = SourceText.From(source);
            foreach (var d in run.GeneratorDiagnostics)
            {
                Assert.Equal(ExpectedSeverity(d.Id), d.Severity);
                Assert.True(d.IsWarningAsError || d.DefaultSeverity == ExpectedSeverity(d.Id), d.Id + " default severity " + d.DefaultSeverity);
                var lineSpan = d.Location.GetLineSpan();
                Assert.Equal("Model.cs", lineSpan.Path);
                Assert.Equal(text.Lines.GetLinePositionSpan(d.Location.SourceSpan), lineSpan.Span);
                string message = d.GetMessage();
                Assert.DoesNotMatch(@"\{\d\}", message);
                Assert.EndsWith(d.Id + ".md", d.Descriptor.HelpLinkUri, StringComparison.Ordinal);
            }

            foreach (var name in notGenerated ?? Array.Empty<string>())
            {
                Assert.DoesNotContain(run.Sources.Keys, k => k == name + ".g.cs" || k.EndsWith("." + name + ".g.cs", StringComparison.Ordinal));
            }

            foreach (var name in generated ?? Array.Empty<string>())
            {
                Assert.Contains(run.Sources.Keys, k => k == name + ".g.cs" || k.EndsWith("." + name + ".g.cs", StringComparison.Ordinal));
            }

            var generatedErrors = GeneratedErrors(run);
            Assert.True(generatedErrors.Count == 0, "Generated code does not compile:\n" + string.Join("\n", generatedErrors));
            return run;
        }

        private static void AssertNoGeneratorFailure(GeneratorRun run)
        {
            foreach (var result in run.Result.Results)
            {
                Assert.True(result.Exception is null, "The generator threw: " + result.Exception);
            }

            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
        }

        private static List<Diagnostic> GeneratedErrors(GeneratorRun run)
        {
            var inputs = new HashSet<SyntaxTree>(run.Input.SyntaxTrees);
            return run.Output.SyntaxTrees.Where(t => !inputs.Contains(t))
                .SelectMany(t => run.Output.GetSemanticModel(t).GetDiagnostics())
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .ToList();
        }

        /// <summary>The source with the given diagnostics inserted as markup, so a failure shows (and can be pasted as) the actual spans.</summary>
        private static string Render(string source, IReadOnlyList<(string Id, TextSpan Span)> diagnostics)
        {
            var inserts = new List<(int At, int Order, string Text)>();
            for (int i = 0; i < diagnostics.Count; i++)
            {
                inserts.Add((diagnostics[i].Span.Start, 1, "{|" + diagnostics[i].Id + ":"));
                inserts.Add((diagnostics[i].Span.End, 0, "|}"));
            }

            var builder = new StringBuilder(source);
            foreach (var (at, _, insert) in inserts.OrderByDescending(x => x.At).ThenByDescending(x => x.Order))
            {
                builder.Insert(Math.Min(at, builder.Length), insert);
            }

            return builder.ToString();
        }
    }
}
