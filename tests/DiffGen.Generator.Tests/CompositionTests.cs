using System;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Calls between differentiable code: [Differentiable] methods calling each other several levels deep, across
    /// partial types, files, nested types and namespaces; custom derivatives registered with
    /// [DerivativeOf(nameof(M))] and [DerivativeOf(typeof(T), nameof(T.M))]; the runtime's DiffMath pullbacks.
    /// </summary>
    public class CompositionTests
    {
        private const string MainSource = """
            using System;
            using DiffGen;

            namespace Comp
            {
                public static partial class A
                {
                    [Differentiable]
                    public static double Sq(double x) => x * x;

                    [Differentiable]
                    public static double Inner(double a, double b) => Math.Sin(a) * b;

                    [Differentiable]
                    public static double Mid(double x, double y) => Inner(x * y, y) + Sq(x);

                    [Differentiable]
                    public static double Top(double x, double y, [NoDiff] double c) => Mid(x, Sq(y)) * c + B.Triple(x);

                    [Differentiable]
                    public static double Deep(double x, double y)
                    {
                        var t = Top(x, y, 2.0);
                        return t + Mid(y, x) + FromOtherFile(t, x);
                    }

                    [Differentiable]
                    public static double SameCalleeTwice(double x)
                    {
                        var u = Inner(x, x);
                        return Inner(u, x) + Inner(x, u);
                    }

                    [Differentiable]
                    public static double CalleeWithInactiveParameters(double x, double y) => B.Scaled(x, 3, 1.5, true) + B.Scaled(y, 2, 0.5, false);
                }

                public static partial class B
                {
                    [Differentiable]
                    public static double Triple(double x) => 3 * x;

                    [Differentiable]
                    public static double Scaled(double x, int n, [NoDiff] double c, bool square) => square ? n * x * x * c : n * x * c;
                }

                public static partial class Options
                {
                    [Differentiable]
                    public static double CallPrice(double spot, double strike, double rate, double volatility, double time)
                    {
                        double sqrtT = Math.Sqrt(time);
                        double d1 = (Math.Log(spot / strike) + (rate + 0.5 * volatility * volatility) * time) / (volatility * sqrtT);
                        double d2 = d1 - volatility * sqrtT;
                        return spot * NormalCdf(d1) - strike * Math.Exp(-rate * time) * NormalCdf(d2);
                    }

                    /// <summary>Φ(x); not differentiable by itself (a call into the runtime), hence the registration below.</summary>
                    public static double NormalCdf(double x) => 0.5 * DiffMath.Erfc(-x / Math.Sqrt(2.0));

                    [DerivativeOf(nameof(NormalCdf))]
                    public static double NormalCdfBackward(double x, double seed, ref double dX)
                    {
                        dX += seed * Math.Exp(-0.5 * x * x) / Math.Sqrt(2.0 * Math.PI);
                        return NormalCdf(x);
                    }
                }

                /// <summary>A type the user cannot edit: not partial, no attributes.</summary>
                public static class External
                {
                    public static double Softsign(double x) => x / (1 + Math.Abs(x));

                    public static double Hypot(double x, double y) => Math.Sqrt(x * x + y * y);

                    public static double PowInt(double x, int n)
                    {
                        double r = 1;
                        for (int i = 0; i < n; i++)
                        {
                            r *= x;
                        }

                        return r;
                    }

                    public static double Smooth(double x) => Math.Log(1 + x * x);

                    public static double Smooth(double x, double k) => Math.Log(1 + k * x * x);
                }

                public static partial class Registrations
                {
                    [DerivativeOf(typeof(External), nameof(External.Softsign))]
                    public static double SoftsignBackward(double x, double seed, ref double dX)
                    {
                        double d = 1 + Math.Abs(x);
                        dX += seed / (d * d);
                        return External.Softsign(x);
                    }

                    [DerivativeOf(typeof(External), nameof(External.Hypot))]
                    public static double HypotBackward(double x, double y, double seed, ref double dX, ref double dY)
                    {
                        double h = External.Hypot(x, y);
                        dX += seed * x / h;
                        dY += seed * y / h;
                        return h;
                    }

                    [DerivativeOf(typeof(External), nameof(External.PowInt))]
                    public static double PowIntBackward(double x, int n, double seed, ref double dX)
                    {
                        dX += seed * n * External.PowInt(x, n - 1);
                        return External.PowInt(x, n);
                    }

                    [DerivativeOf(typeof(External), nameof(External.Smooth))]
                    public static double SmoothBackward(double x, double seed, ref double dX)
                    {
                        dX += seed * 2 * x / (1 + x * x);
                        return External.Smooth(x);
                    }

                    [DerivativeOf(typeof(External), nameof(External.Smooth))]
                    public static double SmoothBackward(double x, double k, double seed, ref double dX, ref double dK)
                    {
                        double q = 1 + k * x * x;
                        dX += seed * 2 * k * x / q;
                        dK += seed * x * x / q;
                        return External.Smooth(x, k);
                    }
                }

                public static partial class Users
                {
                    [Differentiable]
                    public static double UsesExternal(double x, double y) => External.Softsign(x * y) + External.Hypot(x, y) * External.PowInt(y, 3);

                    [Differentiable]
                    public static double UsesOverloads(double x, double k) => External.Smooth(x) * External.Smooth(x, k);

                    [Differentiable]
                    public static double UsesRuntime(double x, double y) => DiffMath.Sigmoid(x) * DiffMath.Softplus(y) + DiffMath.Erf(x * y);

                    [Differentiable]
                    public static double CustomInsideBranch(double x)
                    {
                        if (x > 0)
                        {
                            return External.Softsign(x) * x;
                        }

                        return Options.NormalCdf(x);
                    }
                }
            }
            """;

        /// <summary>The other half of <c>A</c> (another file) and types nested / in a file-scoped namespace.</summary>
        private const string SecondSource = """
            using System;
            using DiffGen;

            namespace Comp
            {
                public static partial class A
                {
                    [Differentiable]
                    public static double FromOtherFile(double t, double x) => Math.Exp(-t * t) * x;
                }

                public static partial class Outer
                {
                    public partial struct Vec
                    {
                        [Differentiable]
                        public static double Norm(double x, double y) => Math.Sqrt(x * x + y * y);
                    }

                    public partial record Rec
                    {
                        [Differentiable]
                        internal static double Scaled(double x) => 2 * Vec.Norm(x, 1.0);
                    }
                }
            }
            """;

        private const string FileScopedSource = """
            using System;
            using DiffGen;

            namespace Comp.Deeper.Still;

            public static partial class Leaf
            {
                [Differentiable]
                public static double UsesOuter(double x) => Comp.Outer.Rec.Scaled(x) + Comp.A.Sq(x);
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(MainSource, SecondSource, FileScopedSource));

        private static Compiled Model => s_model.Value;

        // d/dx and d/dy of Mid(x, y) = sin(x·y)·y + x².
        private static (double Dx, double Dy) MidGrad(double x, double y) =>
            (y * y * Math.Cos(x * y) + 2 * x, x * y * Math.Cos(x * y) + Math.Sin(x * y));

        private static double Mid(double x, double y) => Math.Sin(x * y) * y + x * x;

        private static double Top(double x, double y, double c) => Mid(x, y * y) * c + 3 * x;

        private static (double Dx, double Dy) TopGrad(double x, double y, double c)
        {
            var (mx, mY) = MidGrad(x, y * y);
            return (mx * c + 3, mY * 2 * y * c);
        }

        [Theory]
        [InlineData(0.7, -1.3)]
        [InlineData(-0.4, 0.9)]
        public void Two_levels(double x, double y) => Model.Check("Comp.A", "Mid", new[] { x, y }, v =>
        {
            var (dx, dy) = MidGrad(v[0], v[1]);
            return new[] { dx, dy };
        });

        [Theory]
        [InlineData(0.7, -1.3, 2.0)]
        [InlineData(-0.4, 0.9, -0.5)]
        public void Three_levels_across_partial_types(double x, double y, double c) => Model.Check("Comp.A", "Top", new[] { x, y, c }, v =>
        {
            var (dx, dy) = TopGrad(v[0], v[1], v[2]);
            return new[] { dx, dy };
        });

        [Theory]
        [InlineData(0.3, -0.5)]
        [InlineData(-0.4, 0.6)]
        public void Four_levels_and_a_method_in_another_file(double x, double y) => Model.Check("Comp.A", "Deep", new[] { x, y }, v =>
        {
            double a = v[0], b = v[1];
            double t = Top(a, b, 2.0);
            var (tx, ty) = TopGrad(a, b, 2.0);
            var (my, mx) = MidGrad(b, a); // Mid(y, x): first argument is y
            double e = Math.Exp(-t * t);
            double dfdt = -2 * t * e * a; // FromOtherFile(t, x) = exp(−t²)·x
            return new[] { tx + mx + dfdt * tx + e, ty + my + dfdt * ty };
        });

        [Theory]
        [InlineData(0.8)]
        [InlineData(-1.7)]
        public void Same_callee_called_several_times_with_shared_arguments(double x) => Model.Check("Comp.A", "SameCalleeTwice", new[] { x }, v =>
        {
            // u = sin(x)·x; f = sin(u)·x + sin(x)·u.
            double a = v[0], u = Math.Sin(a) * a, du = Math.Cos(a) * a + Math.Sin(a);
            return new[] { Math.Cos(u) * du * a + Math.Sin(u) + Math.Cos(a) * u + Math.Sin(a) * du };
        });

        [Theory]
        [InlineData(0.8, 1.5)]
        [InlineData(-1.7, 0.25)]
        public void Callee_with_int_bool_and_NoDiff_parameters(double x, double y) => Model.Check("Comp.A", "CalleeWithInactiveParameters", new[] { x, y }, v =>
        {
            // 3·x²·1.5 + 2·y·0.5.
            return new[] { 9 * v[0], 1.0 };
        });

        [Theory]
        [InlineData(0.5)]
        [InlineData(-2.0)]
        public void Nested_types_and_file_scoped_namespace(double x) => Model.Check("Comp.Deeper.Still.Leaf", "UsesOuter", new[] { x }, v =>
            new[] { 2 * v[0] / Math.Sqrt(v[0] * v[0] + 1) + 2 * v[0] });

        [Fact]
        public void Struct_and_record_get_generated_members_with_the_method_accessibility()
        {
            var norm = Model.Type("Comp.Outer+Vec").GetMethod("NormGradient");
            Assert.NotNull(norm);
            Assert.True(norm!.IsPublic);
            var scaled = Model.Type("Comp.Outer+Rec").GetMethod("ScaledGradient", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic);
            Assert.NotNull(scaled);
            Assert.True(scaled!.IsAssembly);
        }

        // ---- Black–Scholes with a custom derivative for Φ, registered with [DerivativeOf(nameof(NormalCdf))] ----

        [Theory]
        [InlineData(100.0, 95.0, 0.03, 0.2, 0.75)]
        [InlineData(80.0, 100.0, 0.01, 0.35, 2.0)]
        [InlineData(120.0, 100.0, 0.05, 0.15, 0.25)]
        public void Black_Scholes_greeks(double s, double k, double r, double sigma, double t) => Model.Check("Comp.Options", "CallPrice", new[] { s, k, r, sigma, t }, v =>
        {
            double sq = Math.Sqrt(v[4]);
            double d1 = (Math.Log(v[0] / v[1]) + (v[2] + 0.5 * v[3] * v[3]) * v[4]) / (v[3] * sq);
            double d2 = d1 - v[3] * sq;
            double disc = Math.Exp(-v[2] * v[4]);
            double pdf1 = Math.Exp(-0.5 * d1 * d1) / Math.Sqrt(2 * Math.PI);
            double delta = DiffMath.NormalCdf(d1);
            double dStrike = -disc * DiffMath.NormalCdf(d2);
            double rho = v[1] * v[4] * disc * DiffMath.NormalCdf(d2);
            double vega = v[0] * pdf1 * sq;
            double dTime = v[0] * pdf1 * v[3] / (2 * sq) + v[2] * v[1] * disc * DiffMath.NormalCdf(d2);
            return new[] { delta, dStrike, rho, vega, dTime };
        });

        [Fact]
        public void Black_Scholes_put_call_parity_of_delta()
        {
            // Independent of the closed form: the delta of a deep in-the-money call tends to 1, far out of the money to 0.
            Assert.InRange(Model.Gradient("Comp.Options", "CallPrice", 300, 100, 0.01, 0.2, 0.5)["dSpot"], 0.999999, 1.0);
            Assert.InRange(Model.Gradient("Comp.Options", "CallPrice", 30, 100, 0.01, 0.2, 0.5)["dSpot"], 0.0, 1e-6);
        }

        // ---- [DerivativeOf(typeof(T), nameof(T.M))] for methods in a type the user cannot edit ----

        [Theory]
        [InlineData(0.8, 1.5)]
        [InlineData(-1.2, 0.6)]
        public void Registrations_for_another_type(double x, double y) => Model.Check("Comp.Users", "UsesExternal", new[] { x, y }, v =>
        {
            double a = v[0], b = v[1];
            double q = 1 + Math.Abs(a * b), s = 1 / (q * q);
            double h = Math.Sqrt(a * a + b * b);
            return new[] { s * b + a / h * b * b * b, s * a + b / h * b * b * b + h * 3 * b * b };
        });

        [Theory]
        [InlineData(0.8, 1.5)]
        [InlineData(-1.2, 0.6)]
        public void Overloads_are_matched_by_parameter_types(double x, double k) => Model.Check("Comp.Users", "UsesOverloads", new[] { x, k }, v =>
        {
            double a = v[0], c = v[1];
            double s1 = Math.Log(1 + a * a), s2 = Math.Log(1 + c * a * a);
            double d1 = 2 * a / (1 + a * a), d2x = 2 * c * a / (1 + c * a * a), d2k = a * a / (1 + c * a * a);
            return new[] { d1 * s2 + s1 * d2x, s1 * d2k };
        });

        [Theory]
        [InlineData(0.8, 1.5)]
        [InlineData(-1.2, -0.6)]
        public void Runtime_DiffMath_pullbacks(double x, double y) => Model.Check("Comp.Users", "UsesRuntime", new[] { x, y }, v =>
        {
            double a = v[0], b = v[1];
            double sig = 1 / (1 + Math.Exp(-a)), sp = Math.Log(1 + Math.Exp(b));
            double erfD = 2 / Math.Sqrt(Math.PI) * Math.Exp(-(a * b) * (a * b));
            return new[] { sig * (1 - sig) * sp + erfD * b, sig * (1 / (1 + Math.Exp(-b))) + erfD * a };
        });

        [Theory]
        [InlineData(1.5)]
        [InlineData(-0.5)]
        public void Custom_derivatives_inside_branches(double x) => Model.Check("Comp.Users", "CustomInsideBranch", new[] { x }, v =>
        {
            double a = v[0];
            if (a > 0)
            {
                double q = 1 + a;
                return new[] { a / (q * q) + a / q };
            }

            return new[] { Math.Exp(-0.5 * a * a) / Math.Sqrt(2 * Math.PI) };
        });

        [Fact]
        public void Composed_Backward_scales_by_seed_through_every_level()
        {
            var g = Model.Gradient("Comp.A", "Deep", 0.3, -0.5);
            var b = Model.Backward("Comp.A", "Deep", new[] { 0.3, -0.5 }, -2.0, new[] { 1.0, 0.0 });
            Numeric.Exact(1.0 - 2.0 * g["dX"], b["dX"], "dX");
            Numeric.Exact(-2.0 * g["dY"], b["dY"], "dY");
        }

        [Fact]
        public void Active_argument_to_a_NoDiff_parameter_of_a_callee_is_not_silently_dropped()
        {
            // Caller(x, y) = Scaled(x, y) = x·y, but Scaled's second parameter is [NoDiff]. The true ∂/∂y is x. The
            // generator must either propagate it or say (with a diagnostic) that no gradient flows from y; a silent
            // zero would be a wrong derivative.
            const string source = """
                using DiffGen;
                namespace N
                {
                    public static partial class B
                    {
                        [Differentiable]
                        public static double Scaled(double x, [NoDiff] double c) => x * c;

                        [Differentiable]
                        public static double Caller(double x, double y) => Scaled(x, y);
                    }
                }
                """;
            var run = GeneratorHarness.Run(source);
            if (run.GeneratorDiagnostics.Any(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning))
            {
                return;
            }

            var model = Compiled.Load(source);
            Assert.Equal(1.5, model.Gradient("N.B", "Caller", 1.5, 2.0)["dY"]);
        }
    }
}
