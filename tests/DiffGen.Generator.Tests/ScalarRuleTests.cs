using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Every Math / MathF derivative rule, compiled and run: each generated gradient is compared with the closed-form
    /// derivative and with central finite differences of the original method, at several points inside the domain.
    /// The rules with a choice at a non-differentiable point (Abs at 0, Max/Min at a tie, Clamp at a bound, Pow with
    /// a zero base) are pinned by their own tests.
    /// </summary>
    public class ScalarRuleTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Rules
            {
                public static partial class D
                {
                    [Differentiable] public static double Sin(double x) => Math.Sin(x);
                    [Differentiable] public static double Cos(double x) => Math.Cos(x);
                    [Differentiable] public static double Tan(double x) => Math.Tan(x);
                    [Differentiable] public static double Asin(double x) => Math.Asin(x);
                    [Differentiable] public static double Acos(double x) => Math.Acos(x);
                    [Differentiable] public static double Atan(double x) => Math.Atan(x);
                    [Differentiable] public static double Atan2(double y, double x) => Math.Atan2(y, x);
                    [Differentiable] public static double Sinh(double x) => Math.Sinh(x);
                    [Differentiable] public static double Cosh(double x) => Math.Cosh(x);
                    [Differentiable] public static double Tanh(double x) => Math.Tanh(x);
                    [Differentiable] public static double Asinh(double x) => Math.Asinh(x);
                    [Differentiable] public static double Acosh(double x) => Math.Acosh(x);
                    [Differentiable] public static double Atanh(double x) => Math.Atanh(x);
                    [Differentiable] public static double Exp(double x) => Math.Exp(x);
                    [Differentiable] public static double Log(double x) => Math.Log(x);
                    [Differentiable] public static double LogBase(double x, double b) => Math.Log(x, b);
                    [Differentiable] public static double LogConstantBase(double x) => Math.Log(x, 3.0);
                    [Differentiable] public static double Log10(double x) => Math.Log10(x);
                    [Differentiable] public static double Log2(double x) => Math.Log2(x);
                    [Differentiable] public static double Sqrt(double x) => Math.Sqrt(x);
                    [Differentiable] public static double Cbrt(double x) => Math.Cbrt(x);
                    [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
                    [Differentiable] public static double PowSquare(double x) => Math.Pow(x, 2.0);
                    [Differentiable] public static double PowCube(double x) => Math.Pow(x, 3);
                    [Differentiable] public static double PowConstant(double x) => Math.Pow(x, 2.5);
                    [Differentiable] public static double PowNegative(double x) => Math.Pow(x, -1.5);
                    [Differentiable] public static double PowZero(double x) => Math.Pow(x, 0.0) * x;
                    [Differentiable] public static double PowConstantBase(double x) => Math.Pow(2.0, x);
                    [Differentiable] public static double Abs(double x) => Math.Abs(x);
                    [Differentiable] public static double Max(double a, double b) => Math.Max(a, b);
                    [Differentiable] public static double Min(double a, double b) => Math.Min(a, b);
                    [Differentiable] public static double Clamp(double x, double lo, double hi) => Math.Clamp(x, lo, hi);
                    [Differentiable] public static double ClampConstant(double x) => Math.Clamp(x, -1.0, 1.0);
                    [Differentiable] public static double Fma(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);
                    [Differentiable] public static double ScaleB(double x, int n) => Math.ScaleB(x, n);
                    [Differentiable] public static double Floor(double x) => Math.Floor(x) + x;
                    [Differentiable] public static double Ceiling(double x) => Math.Ceiling(x) * x;
                    [Differentiable] public static double Round(double x) => Math.Round(x) + 2 * x;
                    [Differentiable] public static double Truncate(double x) => Math.Truncate(x) - x;
                    [Differentiable] public static double Sign(double x) => Math.Sign(x) * x;
                }

                public static partial class F
                {
                    [Differentiable] public static float Sin(float x) => MathF.Sin(x);
                    [Differentiable] public static float Cos(float x) => MathF.Cos(x);
                    [Differentiable] public static float Tan(float x) => MathF.Tan(x);
                    [Differentiable] public static float Asin(float x) => MathF.Asin(x);
                    [Differentiable] public static float Acos(float x) => MathF.Acos(x);
                    [Differentiable] public static float Atan(float x) => MathF.Atan(x);
                    [Differentiable] public static float Atan2(float y, float x) => MathF.Atan2(y, x);
                    [Differentiable] public static float Sinh(float x) => MathF.Sinh(x);
                    [Differentiable] public static float Cosh(float x) => MathF.Cosh(x);
                    [Differentiable] public static float Tanh(float x) => MathF.Tanh(x);
                    [Differentiable] public static float Asinh(float x) => MathF.Asinh(x);
                    [Differentiable] public static float Acosh(float x) => MathF.Acosh(x);
                    [Differentiable] public static float Atanh(float x) => MathF.Atanh(x);
                    [Differentiable] public static float Exp(float x) => MathF.Exp(x);
                    [Differentiable] public static float Log(float x) => MathF.Log(x);
                    [Differentiable] public static float LogBase(float x, float b) => MathF.Log(x, b);
                    [Differentiable] public static float LogConstantBase(float x) => MathF.Log(x, 3f);
                    [Differentiable] public static float Log10(float x) => MathF.Log10(x);
                    [Differentiable] public static float Log2(float x) => MathF.Log2(x);
                    [Differentiable] public static float Sqrt(float x) => MathF.Sqrt(x);
                    [Differentiable] public static float Cbrt(float x) => MathF.Cbrt(x);
                    [Differentiable] public static float Pow(float x, float y) => MathF.Pow(x, y);
                    [Differentiable] public static float PowSquare(float x) => MathF.Pow(x, 2f);
                    [Differentiable] public static float PowCube(float x) => MathF.Pow(x, 3);
                    [Differentiable] public static float PowConstant(float x) => MathF.Pow(x, 2.5f);
                    [Differentiable] public static float PowNegative(float x) => MathF.Pow(x, -1.5f);
                    [Differentiable] public static float PowZero(float x) => MathF.Pow(x, 0f) * x;
                    [Differentiable] public static float PowConstantBase(float x) => MathF.Pow(2f, x);
                    [Differentiable] public static float Abs(float x) => MathF.Abs(x);
                    [Differentiable] public static float Max(float a, float b) => MathF.Max(a, b);
                    [Differentiable] public static float Min(float a, float b) => MathF.Min(a, b);
                    [Differentiable] public static float Clamp(float x, float lo, float hi) => Math.Clamp(x, lo, hi);
                    [Differentiable] public static float ClampConstant(float x) => Math.Clamp(x, -1f, 1f);
                    [Differentiable] public static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
                    [Differentiable] public static float ScaleB(float x, int n) => MathF.ScaleB(x, n);
                    [Differentiable] public static float Floor(float x) => MathF.Floor(x) + x;
                    [Differentiable] public static float Ceiling(float x) => MathF.Ceiling(x) * x;
                    [Differentiable] public static float Round(float x) => MathF.Round(x) + 2 * x;
                    [Differentiable] public static float Truncate(float x) => MathF.Truncate(x) - x;
                    [Differentiable] public static float Sign(float x) => MathF.Sign(x) * x;
                }
            }
            """;

        private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(Source));
        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));

        private static Compiled Model => s_model.Value;

        /// <summary>Closed-form gradients over the active parameters (shared by the double and float versions).</summary>
        private static readonly Dictionary<string, Func<double[], double[]>> s_closed = new()
        {
            ["Sin"] = x => new[] { Math.Cos(x[0]) },
            ["Cos"] = x => new[] { -Math.Sin(x[0]) },
            ["Tan"] = x => new[] { 1 / (Math.Cos(x[0]) * Math.Cos(x[0])) },
            ["Asin"] = x => new[] { 1 / Math.Sqrt(1 - x[0] * x[0]) },
            ["Acos"] = x => new[] { -1 / Math.Sqrt(1 - x[0] * x[0]) },
            ["Atan"] = x => new[] { 1 / (1 + x[0] * x[0]) },
            ["Atan2"] = x => new[] { x[1] / (x[0] * x[0] + x[1] * x[1]), -x[0] / (x[0] * x[0] + x[1] * x[1]) },
            ["Sinh"] = x => new[] { Math.Cosh(x[0]) },
            ["Cosh"] = x => new[] { Math.Sinh(x[0]) },
            ["Tanh"] = x => new[] { 1 / (Math.Cosh(x[0]) * Math.Cosh(x[0])) },
            ["Asinh"] = x => new[] { 1 / Math.Sqrt(x[0] * x[0] + 1) },
            ["Acosh"] = x => new[] { 1 / Math.Sqrt(x[0] * x[0] - 1) },
            ["Atanh"] = x => new[] { 1 / (1 - x[0] * x[0]) },
            ["Exp"] = x => new[] { Math.Exp(x[0]) },
            ["Log"] = x => new[] { 1 / x[0] },
            ["LogBase"] = x => new[] { 1 / (x[0] * Math.Log(x[1])), -Math.Log(x[0]) / (x[1] * Math.Log(x[1]) * Math.Log(x[1])) },
            ["LogConstantBase"] = x => new[] { 1 / (x[0] * Math.Log(3.0)) },
            ["Log10"] = x => new[] { 1 / (x[0] * Math.Log(10)) },
            ["Log2"] = x => new[] { 1 / (x[0] * Math.Log(2)) },
            ["Sqrt"] = x => new[] { 0.5 / Math.Sqrt(x[0]) },
            ["Cbrt"] = x => new[] { 1 / (3 * Math.Cbrt(x[0]) * Math.Cbrt(x[0])) },
            ["Pow"] = x => new[] { x[1] * Math.Pow(x[0], x[1] - 1), Math.Pow(x[0], x[1]) * Math.Log(x[0]) },
            ["PowSquare"] = x => new[] { 2 * x[0] },
            ["PowCube"] = x => new[] { 3 * x[0] * x[0] },
            ["PowConstant"] = x => new[] { 2.5 * Math.Pow(x[0], 1.5) },
            ["PowNegative"] = x => new[] { -1.5 * Math.Pow(x[0], -2.5) },
            ["PowZero"] = x => new[] { 1.0 },
            ["PowConstantBase"] = x => new[] { Math.Pow(2, x[0]) * Math.Log(2) },
            ["Abs"] = x => new[] { (double)Math.Sign(x[0]) },
            ["Max"] = x => x[0] > x[1] ? new[] { 1.0, 0.0 } : new[] { 0.0, 1.0 },
            ["Min"] = x => x[0] < x[1] ? new[] { 1.0, 0.0 } : new[] { 0.0, 1.0 },
            ["Clamp"] = x => x[0] < x[1] ? new[] { 0.0, 1.0, 0.0 } : x[0] > x[2] ? new[] { 0.0, 0.0, 1.0 } : new[] { 1.0, 0.0, 0.0 },
            ["ClampConstant"] = x => new[] { Math.Abs(x[0]) <= 1 ? 1.0 : 0.0 },
            ["Fma"] = x => new[] { x[1], x[0], 1.0 },
            ["ScaleB"] = x => new[] { Math.Pow(2, x[1]) },
            ["Floor"] = x => new[] { 1.0 },
            ["Ceiling"] = x => new[] { Math.Ceiling(x[0]) },
            ["Round"] = x => new[] { 2.0 },
            ["Truncate"] = x => new[] { -1.0 },
            ["Sign"] = x => new[] { (double)Math.Sign(x[0]) },
        };

        /// <summary>Points inside each function's domain, away from kinks, so finite differences are meaningful.</summary>
        private static readonly (string Name, double[][] Points)[] s_points =
        {
            ("Sin", P(-1.3, 0.4, 2.0)),
            ("Cos", P(-1.3, 0.4, 2.0)),
            ("Tan", P(-1.0, 0.4, 1.2)),
            ("Asin", P(-0.7, 0.1, 0.6)),
            ("Acos", P(-0.7, 0.1, 0.6)),
            ("Atan", P(-2.0, 0.5, 1.7)),
            ("Atan2", new[] { new[] { 0.5, 1.2 }, new[] { -1.0, -0.3 }, new[] { 2.0, -1.0 } }),
            ("Sinh", P(-2.0, 0.5, 1.7)),
            ("Cosh", P(-2.0, 0.5, 1.7)),
            ("Tanh", P(-2.0, 0.5, 1.7)),
            ("Asinh", P(-2.0, 0.5, 1.7)),
            ("Acosh", P(1.2, 2.5, 7.0)),
            ("Atanh", P(-0.7, 0.1, 0.6)),
            ("Exp", P(-2.0, 0.5, 1.7)),
            ("Log", P(0.3, 1.5, 20.0)),
            ("LogBase", new[] { new[] { 3.0, 2.0 }, new[] { 0.5, 10.0 }, new[] { 20.0, 1.5 } }),
            ("LogConstantBase", P(0.3, 1.5, 20.0)),
            ("Log10", P(0.3, 1.5, 20.0)),
            ("Log2", P(0.3, 1.5, 20.0)),
            ("Sqrt", P(0.3, 1.5, 20.0)),
            ("Cbrt", P(-2.5, 0.5, 3.0)),
            ("Pow", new[] { new[] { 1.3, 2.5 }, new[] { 0.7, -1.2 }, new[] { 3.0, 0.5 } }),
            ("PowSquare", P(-1.5, 0.5, 2.0)),
            ("PowCube", P(-1.5, 0.5, 2.0)),
            ("PowConstant", P(0.3, 1.5, 4.0)),
            ("PowNegative", P(0.3, 1.5, 4.0)),
            ("PowZero", P(-1.5, 0.5, 2.0)),
            ("PowConstantBase", P(-1.5, 0.5, 2.0)),
            ("Abs", P(-2.0, 0.25, 3.0)),
            ("Max", new[] { new[] { 1.0, 2.0 }, new[] { 3.0, -1.0 }, new[] { -0.5, -0.25 } }),
            ("Min", new[] { new[] { 1.0, 2.0 }, new[] { 3.0, -1.0 }, new[] { -0.5, -0.25 } }),
            ("Clamp", new[] { new[] { 0.3, -1.0, 2.0 }, new[] { -3.0, -1.0, 2.0 }, new[] { 5.0, -1.0, 2.0 } }),
            ("ClampConstant", P(-3.0, 0.4, 2.0)),
            ("Fma", new[] { new[] { 1.5, -2.0, 0.5 }, new[] { -0.3, 4.0, 2.0 } }),
            ("ScaleB", new[] { new[] { 1.5, 3.0 }, new[] { -0.7, -2.0 }, new[] { 2.0, 0.0 } }),
            ("Floor", P(-1.3, 0.4, 2.7)),
            ("Ceiling", P(-1.3, 0.4, 2.7)),
            ("Round", P(-1.3, 0.4, 2.7)),
            ("Truncate", P(-1.3, 0.4, 2.7)),
            ("Sign", P(-1.3, 0.4, 2.7)),
        };

        private static double[][] P(params double[] xs) => xs.Select(x => new[] { x }).ToArray();

        public static TheoryData<string, double[]> Cases()
        {
            var data = new TheoryData<string, double[]>();
            foreach (var (name, points) in s_points)
            {
                foreach (var p in points)
                {
                    data.Add(name, p);
                }
            }

            return data;
        }

        [Fact]
        public void Every_rule_in_the_closed_form_table_has_points_and_a_model_method()
        {
            Assert.Equal(s_closed.Keys.OrderBy(k => k), s_points.Select(p => p.Name).OrderBy(k => k));
            foreach (var name in s_closed.Keys)
            {
                Assert.NotNull(Model.Type("Rules.D").GetMethod(name + "Gradient"));
                Assert.NotNull(Model.Type("Rules.F").GetMethod(name + "Gradient"));
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Math_rule(string method, double[] x) => Model.Check("Rules.D", method, x, s_closed[method]);

        [Theory]
        [MemberData(nameof(Cases))]
        public void MathF_rule(string method, double[] x) => Model.CheckFloat("Rules.F", method, x, s_closed[method]);

        [Fact]
        public void Float_methods_get_float_adjoints()
        {
            var m = Model.Type("Rules.F").GetMethod("AtanGradient")!;
            Assert.Equal(typeof(float), m.ReturnType);
            Assert.All(m.GetParameters(), p => Assert.Equal(typeof(float), p.ParameterType.IsByRef ? p.ParameterType.GetElementType() : p.ParameterType));
        }

        [Fact]
        public void Float_methods_use_MathF_in_the_generated_code()
        {
            string code = s_run.Value.Source("Rules.F.Tanh");
            Assert.Contains("MathF.Tanh", code);
            Assert.DoesNotContain("Math.Tanh", code.Replace("MathF.Tanh", string.Empty));
        }

        // ---- Choices at non-differentiable points, pinned (they follow JAX / PyTorch) ----

        [Theory]
        [InlineData("Rules.D")]
        [InlineData("Rules.F")]
        public void Abs_has_derivative_zero_at_zero(string type)
        {
            var g = Model.Gradient(type, "Abs", 0.0);
            Assert.Equal(0.0, g.Value);
            Assert.Equal(0.0, g["dX"]);
        }

        [Fact]
        public void Abs_derivative_of_NaN_is_NaN()
        {
            Assert.True(double.IsNaN(Model.Gradient("Rules.D", "Abs", double.NaN)["dX"]));
        }

        [Theory]
        [InlineData("Rules.D", "Max")]
        [InlineData("Rules.D", "Min")]
        [InlineData("Rules.F", "Max")]
        [InlineData("Rules.F", "Min")]
        public void Max_and_Min_split_a_tie_evenly(string type, string method)
        {
            var g = Model.Gradient(type, method, 1.25, 1.25);
            Assert.Equal(1.25, g.Value);
            Assert.Equal(0.5, g["dA"]);
            Assert.Equal(0.5, g["dB"]);
        }

        [Theory]
        [InlineData("Rules.D", -1.0)]
        [InlineData("Rules.D", 2.0)]
        [InlineData("Rules.F", -1.0)]
        [InlineData("Rules.F", 2.0)]
        public void Clamp_passes_the_gradient_to_x_at_either_bound(string type, double x)
        {
            var g = Model.Gradient(type, "Clamp", x, -1.0, 2.0);
            Assert.Equal(x, g.Value);
            Assert.Equal(1.0, g["dX"]);
            Assert.Equal(0.0, g["dLo"]);
            Assert.Equal(0.0, g["dHi"]);
        }

        [Theory]
        [InlineData(-1.0)]
        [InlineData(1.0)]
        public void Clamp_with_constant_bounds_passes_the_gradient_at_the_bounds(double x)
        {
            Assert.Equal(1.0, Model.Gradient("Rules.D", "ClampConstant", x)["dX"]);
        }

        [Fact]
        public void Clamp_sends_the_gradient_to_the_bound_that_clamps()
        {
            var below = Model.Gradient("Rules.D", "Clamp", -5.0, -1.0, 2.0);
            Assert.Equal((0.0, 1.0, 0.0), (below["dX"], below["dLo"], below["dHi"]));
            var above = Model.Gradient("Rules.D", "Clamp", 5.0, -1.0, 2.0);
            Assert.Equal((0.0, 0.0, 1.0), (above["dX"], above["dLo"], above["dHi"]));
        }

        [Fact]
        public void Pow_with_zero_base_has_zero_exponent_derivative_not_NaN()
        {
            var g = Model.Gradient("Rules.D", "Pow", 0.0, 2.0);
            Assert.Equal(0.0, g.Value);
            Assert.Equal(0.0, g["dX"]);
            Assert.Equal(0.0, g["dY"]);
        }

        [Fact]
        public void Pow_with_zero_base_and_exponent_one_has_base_derivative_one()
        {
            var g = Model.Gradient("Rules.D", "Pow", 0.0, 1.0);
            Assert.Equal(1.0, g["dX"]);
            Assert.Equal(0.0, g["dY"]);
        }

        [Fact]
        public void Pow_square_at_zero_has_derivative_zero()
        {
            Assert.Equal(0.0, Model.Gradient("Rules.D", "PowSquare", 0.0)["dX"]);
        }

        [Fact]
        public void Pow_with_exponent_zero_is_constant_one_even_at_zero()
        {
            // x^0·x = x, so the derivative is 1 everywhere, including x = 0 (0^0 = 1 in IEEE).
            Assert.Equal(1.0, Model.Gradient("Rules.D", "PowZero", 0.0)["dX"]);
        }

        [Fact]
        public void ScaleB_exponent_is_inactive()
        {
            var m = Model.Type("Rules.D").GetMethod("ScaleBGradient")!;
            Assert.Equal(new[] { "x", "n", "dX" }, m.GetParameters().Select(p => p.Name));
        }

        // ---- Piecewise-constant functions: zero derivative and a DG0011 warning ----

        [Theory]
        [InlineData("Floor")]
        [InlineData("Ceiling")]
        [InlineData("Round")]
        [InlineData("Truncate")]
        [InlineData("Sign")]
        public void Piecewise_constant_functions_report_DG0011_as_a_warning(string name)
        {
            foreach (var type in new[] { "D", "F" })
            {
                var method = s_run.Value.Input.GetTypeByMetadataName("Rules." + type)!.GetMembers(name).Single();
                var span = method.DeclaringSyntaxReferences.Single().Span;
                var hits = s_run.Value.GeneratorDiagnostics.Where(d => d.Id == "DG0011" && span.Contains(d.Location.SourceSpan)).ToList();
                Assert.True(hits.Count == 1, $"expected one DG0011 in Rules.{type}.{name}, got {hits.Count}: {string.Join("; ", s_run.Value.GeneratorDiagnostics)}");
                Assert.Equal(DiagnosticSeverity.Warning, hits[0].Severity);
                string call = s_run.Value.Input.SyntaxTrees[0].GetText().ToString(hits[0].Location.SourceSpan);
                Assert.StartsWith(type == "D" ? "Math." : "MathF.", call);
                Assert.Contains(name + "(x)", call);
            }
        }

        [Fact]
        public void No_DG0011_for_functions_that_pass_a_gradient()
        {
            var names = new HashSet<string> { "Floor", "Ceiling", "Round", "Truncate", "Sign" };
            foreach (var d in s_run.Value.GeneratorDiagnostics.Where(d => d.Id == "DG0011"))
            {
                string text = s_run.Value.Input.SyntaxTrees[0].GetText().ToString(d.Location.SourceSpan);
                Assert.Contains(names, n => text.Contains(n + "("));
            }

            Assert.DoesNotContain(s_run.Value.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        }

        [Theory]
        [InlineData("Floor", 1.0)]
        [InlineData("Round", 2.0)]
        [InlineData("Truncate", -1.0)]
        public void Zero_derivative_functions_contribute_nothing_even_at_their_jumps(string name, double expected)
        {
            // At an integer the piecewise-constant part jumps; its derivative is still taken as 0.
            Assert.Equal(expected, Model.Gradient("Rules.D", name, 2.0)["dX"]);
            Assert.Equal(expected, Model.Gradient("Rules.D", name, 2.5)["dX"]);
        }

        [Fact]
        public void Sign_times_x_has_derivative_sign_and_zero_at_zero()
        {
            Assert.Equal(-1.0, Model.Gradient("Rules.D", "Sign", -3.0)["dX"]);
            Assert.Equal(1.0, Model.Gradient("Rules.D", "Sign", 3.0)["dX"]);
            Assert.Equal(0.0, Model.Gradient("Rules.D", "Sign", 0.0)["dX"]);
        }
    }
}
