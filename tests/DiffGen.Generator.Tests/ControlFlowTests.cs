using System;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Straight-line and branching scalar code: locals, reassignment, compound assignment, ++/--, conversions,
    /// if/else-if chains, nested ifs, ternaries, &amp;&amp; || ! in conditions, early returns, constant fields,
    /// inactive parameters, and the Gradient / Backward contract (overwrite vs accumulate, seed scaling).
    /// Every branch is exercised on each side; every gradient is checked against its closed form and central
    /// finite differences (<see cref="Compiled.Check"/>; tolerances justified in <see cref="Numeric"/>).
    /// </summary>
    public class ControlFlowTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Flow
            {
                public static partial class C
                {
                    private const double K = 2.5;
                    private static readonly double S = Math.Sqrt(3.0);

                    [Differentiable]
                    public static double Loss(double w, double b, [NoDiff] double x, [NoDiff] double y)
                    {
                        var err = w * x + b - y;
                        return err * err;
                    }

                    [Differentiable]
                    public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

                    [Differentiable]
                    public static double Locals(double x, double y)
                    {
                        var a = x * y;
                        var b = a + Math.Sin(x);
                        return a * b;
                    }

                    [Differentiable]
                    public static double SquareTwice(double x)
                    {
                        x = x * x;
                        x = x * x;
                        return x;
                    }

                    [Differentiable]
                    public static double ReassignLocal(double x, double y)
                    {
                        var t = x;
                        t = t * y;
                        t = t + x;
                        t = t * t;
                        return t;
                    }

                    [Differentiable]
                    public static double Compound(double x, double y)
                    {
                        double s = x;
                        s += y;
                        s *= x;
                        s -= y * y;
                        s /= y;
                        return s;
                    }

                    [Differentiable]
                    public static double CompoundOnParameter(double x, double y)
                    {
                        x += y;
                        x *= x;
                        y -= x;
                        return x * y;
                    }

                    [Differentiable]
                    public static double IncrementDecrement(double x)
                    {
                        var a = x;
                        a++;
                        a++;
                        a--;
                        ++a;
                        --a;
                        ++a;
                        return a * x;
                    }

                    [Differentiable]
                    public static double PostfixValue(double x)
                    {
                        var a = x;
                        var b = a++ * 2.0;
                        var c = ++a;
                        return a * b + c;
                    }

                    [Differentiable]
                    public static double IncrementParameter(double x)
                    {
                        x++;
                        return x * x;
                    }

                    [Differentiable]
                    public static double UnaryAndDivision(double x, double y) => -(x / y) + -x * -y;

                    [Differentiable]
                    public static double Modulo(double x, double y) => x % y;

                    [Differentiable]
                    public static double IntToDouble(double x, int n)
                    {
                        double k = n;
                        return x * k + n / 2 + (double)n * x * x;
                    }

                    [Differentiable]
                    public static double ThroughFloat(double x) => (double)(float)(x * 0.5) * 4.0 + x;

                    [Differentiable]
                    public static float FloatFromDouble(float x)
                    {
                        double d = x;
                        d = Math.Sin(d) * d;
                        return (float)d;
                    }

                    [Differentiable]
                    public static float MixedFloatDouble(float x, double y) => (float)(x * y) + x;

                    [Differentiable]
                    public static double InactiveKinds(double x, int n, bool flip, [NoDiff] double c)
                    {
                        double r = x * n * c;
                        if (flip)
                        {
                            r = -r;
                        }

                        return r;
                    }

                    [Differentiable]
                    public static double Chain(double x)
                    {
                        if (x < -1)
                        {
                            return x * x;
                        }
                        else if (x < 0)
                        {
                            return -x;
                        }
                        else if (x < 2)
                        {
                            return Math.Sin(x);
                        }
                        else
                        {
                            return Math.Log(x);
                        }
                    }

                    [Differentiable]
                    public static double Nested(double x, double y)
                    {
                        double r;
                        if (x > 0)
                        {
                            if (y > 0)
                            {
                                r = x * y;
                            }
                            else
                            {
                                r = x - y;
                            }
                        }
                        else
                        {
                            if (y > x)
                            {
                                r = y * y;
                            }
                            else
                            {
                                r = x * x * y;
                            }
                        }

                        return r * x;
                    }

                    [Differentiable]
                    public static double Ternary(double x, double y) => x > y ? x * x : y * Math.Exp(x);

                    [Differentiable]
                    public static double NestedTernary(double x) => x < 0 ? (x < -1 ? -x * x : x) : (x > 1 ? Math.Sqrt(x) : 2 * x);

                    [Differentiable]
                    public static double TernaryLocal(double x, double y)
                    {
                        var m = x * y > 1 ? x : y;
                        return m * m * x;
                    }

                    [Differentiable]
                    public static double Logic(double x, double y)
                    {
                        if (x > 0 && y > 0)
                        {
                            return x * y;
                        }

                        if (x < 0 || y < -1)
                        {
                            return x + 3 * y;
                        }

                        if (!(x > 0.5))
                        {
                            return x * x * y;
                        }

                        return y - x * x;
                    }

                    [Differentiable]
                    public static double LogicWithBoolParameter(double x, bool enabled, int mode)
                    {
                        if (enabled && (mode == 1 || mode == 3) && !(x > 10))
                        {
                            return x * x;
                        }

                        return 5 * x;
                    }

                    [Differentiable]
                    public static double EarlyReturns(double x)
                    {
                        if (x > 3)
                        {
                            return 1.0;
                        }

                        var y = x * x;
                        if (y > 4)
                        {
                            return y * x;
                        }

                        y = y + x;
                        return y;
                    }

                    [Differentiable]
                    public static double ConditionVariableChangedAfterBranch(double x)
                    {
                        if (x > 0)
                        {
                            x = -2 * x;
                        }

                        if (x > 0)
                        {
                            return 100 * x;
                        }

                        return x * x * x;
                    }

                    [Differentiable]
                    public static double ParameterReassignedInBranch(double x, double y)
                    {
                        if (x > 1)
                        {
                            y = y * x;
                        }

                        return y * y + x;
                    }

                    [Differentiable]
                    public static double LocalReassignedInBranch(double x, double y)
                    {
                        var t = y;
                        if (x > 1)
                        {
                            t = t * x;
                        }
                        else
                        {
                            t = t + x * x;
                        }

                        return t * t + x;
                    }

                    [Differentiable]
                    public static double Piecewise(double x, double y)
                    {
                        if (x < 0)
                        {
                            return -x * y;
                        }
                        else if (x < 1)
                        {
                            var t = x * x;
                            if (y > t)
                            {
                                return y - t;
                            }

                            t = t * y;
                            return Math.Sin(t);
                        }
                        else
                        {
                            y = y * x;
                        }

                        return y * y + x;
                    }

                    [Differentiable]
                    public static double Fields(double x) => K * x * x + S * x;

                    [Differentiable]
                    public static double OneSideUnused(double x, double y) => x > 0 ? x * 3 : y * 2;

                    [Differentiable]
                    public static double ConstantResult(double x) => 4.0;
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));

        private static Compiled Model => s_model.Value;

        private static GradientResult Check(string method, Func<double[], double[]> closed, params double[] x) => Model.Check("Flow.C", method, x, closed);

        [Theory]
        [InlineData(0.5, -1.0, 2.0, 3.0)]
        [InlineData(-1.5, 0.25, -0.75, 1.0)]
        [InlineData(2.0, 1.0, 0.0, 4.0)]
        public void Least_squares_loss_of_issue_2(double w, double b, double x, double y)
        {
            var g = Check("Loss", v => new[] { 2 * (v[0] * v[2] + v[1] - v[3]) * v[2], 2 * (v[0] * v[2] + v[1] - v[3]) }, w, b, x, y);
            Assert.Equal(new[] { "dW", "dB" }, g.AdjointNames);
        }

        [Theory]
        [InlineData(-1.2, 1.0)]
        [InlineData(1.0, 1.0)]
        [InlineData(0.3, -0.8)]
        [InlineData(2.0, 3.5)]
        public void Rosenbrock(double x, double y)
        {
            var g = Check("Rosenbrock", v => new[] { -2 * (1 - v[0]) - 400 * v[0] * (v[1] - v[0] * v[0]), 200 * (v[1] - v[0] * v[0]) }, x, y);
            if (x == 1.0 && y == 1.0)
            {
                Assert.Equal(0.0, g["dX"]);
                Assert.Equal(0.0, g["dY"]);
            }
        }

        [Theory]
        [InlineData(0.7, -1.3)]
        [InlineData(-2.0, 0.5)]
        public void Locals(double x, double y) => Check("Locals", v =>
        {
            double a = v[0] * v[1], b = a + Math.Sin(v[0]);
            return new[] { v[1] * b + a * (v[1] + Math.Cos(v[0])), v[0] * b + a * v[0] };
        }, x, y);

        [Theory]
        [InlineData(1.3)]
        [InlineData(-0.6)]
        [InlineData(2.0)]
        public void Parameter_squared_twice_by_reassignment(double x) => Check("SquareTwice", v => new[] { 4 * v[0] * v[0] * v[0] }, x);

        [Theory]
        [InlineData(0.7, -1.3)]
        [InlineData(-2.0, 0.5)]
        public void Local_reassigned_several_times(double x, double y) =>
            Check("ReassignLocal", v => new[] { 2 * (v[0] * v[1] + v[0]) * (v[1] + 1), 2 * (v[0] * v[1] + v[0]) * v[0] }, x, y);

        [Theory]
        [InlineData(0.7, -1.3)]
        [InlineData(-2.0, 0.5)]
        [InlineData(3.0, 2.0)]
        public void Compound_assignments(double x, double y) => Check("Compound", v =>
        {
            double a = v[0], b = v[1];
            return new[] { (2 * a + b) / b, (a - 2 * b) / b - ((a + b) * a - b * b) / (b * b) };
        }, x, y);

        [Theory]
        [InlineData(0.7, -1.3)]
        [InlineData(-2.0, 0.5)]
        public void Compound_assignments_to_parameters(double x, double y) => Check("CompoundOnParameter", v =>
        {
            // f = u·(y − u), u = (x + y)²: ∂f/∂u = y − 2u.
            double u = (v[0] + v[1]) * (v[0] + v[1]), du = v[1] - 2 * u, s = 2 * (v[0] + v[1]);
            return new[] { du * s, du * s + u };
        }, x, y);

        [Theory]
        [InlineData(0.7)]
        [InlineData(-3.0)]
        public void Increment_and_decrement(double x) => Check("IncrementDecrement", v => new[] { 2 * v[0] + 2 }, x);

        [Theory]
        [InlineData(0.7)]
        [InlineData(-3.0)]
        public void Postfix_and_prefix_values(double x) =>

            // a ends at x + 2, b = 2x, c = x + 2: f = (x + 2)·2x + x + 2.
            Check("PostfixValue", v => new[] { 4 * v[0] + 4 + 1 }, x);

        [Theory]
        [InlineData(0.7)]
        [InlineData(-3.0)]
        public void Increment_of_a_parameter(double x) => Check("IncrementParameter", v => new[] { 2 * (v[0] + 1) }, x);

        [Theory]
        [InlineData(0.7, -1.3)]
        [InlineData(-2.0, 0.5)]
        public void Unary_minus_and_division(double x, double y) =>
            Check("UnaryAndDivision", v => new[] { -1 / v[1] + v[1], v[0] / (v[1] * v[1]) + v[0] }, x, y);

        [Theory]
        [InlineData(5.3, 2.0)]
        [InlineData(-7.1, 3.0)]
        [InlineData(1.5, -0.4)]
        public void Modulo(double x, double y) => Check("Modulo", v => new[] { 1.0, -Math.Truncate(v[0] / v[1]) }, x, y);

        [Theory]
        [InlineData(0.7, 3)]
        [InlineData(-2.0, -4)]
        [InlineData(1.5, 0)]
        public void Int_to_double_conversion(double x, int n)
        {
            var g = Check("IntToDouble", v => new[] { v[1] + 2 * v[1] * v[0] }, x, n);
            Assert.Equal(new[] { "dX" }, g.AdjointNames);
        }

        [Fact]
        public void Long_and_short_parameters_are_inactive_integers()
        {
            // The contract: "Parameters of integer or bool type ... are inactive". long, short and byte are integer types.
            var model = Compiled.Load("""
                using DiffGen;
                namespace Flow
                {
                    public static partial class L
                    {
                        [Differentiable]
                        public static double Integers(double x, long n, short s, byte b) => x * n + x / 4 + s * b * x;
                    }
                }
                """);
            var g = model.Check("Flow.L", "Integers", new[] { 0.7, 3, -2, 5 }, v => new[] { v[1] + 0.25 + v[2] * v[3] });
            Assert.Equal(new[] { "dX" }, g.AdjointNames);
        }

        [Theory]
        [InlineData(0.7)]
        [InlineData(-3.25)]
        public void Conversion_to_float_and_back_passes_the_gradient(double x)
        {
            // Rounding to float is a step function on the scale of 1e-7, so finite differences in double are
            // meaningless here; the derivative of a conversion is 1 and the closed form is 2 + 1 = 3, exactly.
            var g = Model.Gradient("Flow.C", "ThroughFloat", x);
            Assert.Equal(3.0, g["dX"]);
            Assert.Equal(Model.Value("Flow.C", "ThroughFloat", x), g.Value);
        }

        [Theory]
        [InlineData(0.7)]
        [InlineData(-2.5)]
        public void Float_method_widening_to_double_inside(double x) =>
            Model.CheckFloat("Flow.C", "FloatFromDouble", new[] { x }, v => new[] { Math.Cos(v[0]) * v[0] + Math.Sin(v[0]) });

        [Theory]
        [InlineData(0.7, 2.0)]
        [InlineData(-2.5, -0.5)]
        public void Float_method_with_double_parameter(double x, double y)
        {
            Model.CheckFloat("Flow.C", "MixedFloatDouble", new[] { x, y }, v => new[] { v[1] + 1, v[0] });
            var gradient = Model.Type("Flow.C").GetMethod("MixedFloatDoubleGradient")!;
            Assert.Equal(typeof(double), gradient.GetParameters().Single(p => p.Name == "dY").ParameterType.GetElementType());
            Assert.Equal(typeof(float), gradient.GetParameters().Single(p => p.Name == "dX").ParameterType.GetElementType());
        }

        [Theory]
        [InlineData(1.5, 3, 0, 2.0)]
        [InlineData(1.5, 3, 1, 2.0)]
        [InlineData(-0.5, -2, 1, 0.5)]
        public void Int_bool_and_NoDiff_parameters_are_inactive(double x, int n, int flip, double c)
        {
            var g = Check("InactiveKinds", v => new[] { (v[2] != 0 ? -1 : 1) * v[1] * v[3] }, x, n, flip, c);
            Assert.Equal(new[] { "dX" }, g.AdjointNames);
        }

        [Theory]
        [InlineData(-2.5)]
        [InlineData(-0.5)]
        [InlineData(1.0)]
        [InlineData(3.0)]
        public void Else_if_chain_each_branch(double x) => Check("Chain", v => new[]
        {
            v[0] < -1 ? 2 * v[0] : v[0] < 0 ? -1.0 : v[0] < 2 ? Math.Cos(v[0]) : 1 / v[0],
        }, x);

        [Theory]
        [InlineData(1.5, 2.0)]
        [InlineData(1.5, -2.0)]
        [InlineData(-1.5, 2.0)]
        [InlineData(-1.5, -2.0)]
        public void Nested_ifs_each_branch(double x, double y) => Check("Nested", v =>
        {
            double a = v[0], b = v[1];
            if (a > 0)
            {
                return b > 0 ? new[] { 2 * a * b, a * a } : new[] { 2 * a - b, -a };
            }

            return b > a ? new[] { b * b, 2 * b * a } : new[] { 3 * a * a * b, a * a * a };
        }, x, y);

        [Theory]
        [InlineData(2.0, 1.0)]
        [InlineData(-1.0, 1.0)]
        public void Ternary_both_sides(double x, double y) => Check("Ternary", v => v[0] > v[1]
            ? new[] { 2 * v[0], 0.0 }
            : new[] { v[1] * Math.Exp(v[0]), Math.Exp(v[0]) }, x, y);

        [Theory]
        [InlineData(-2.0)]
        [InlineData(-0.5)]
        [InlineData(0.5)]
        [InlineData(4.0)]
        public void Nested_ternary_every_arm(double x) => Check("NestedTernary", v => new[]
        {
            v[0] < 0 ? (v[0] < -1 ? -2 * v[0] : 1.0) : (v[0] > 1 ? 0.5 / Math.Sqrt(v[0]) : 2.0),
        }, x);

        [Theory]
        [InlineData(2.0, 3.0)]
        [InlineData(0.5, 0.5)]
        public void Ternary_into_a_local(double x, double y) => Check("TernaryLocal", v => v[0] * v[1] > 1
            ? new[] { 3 * v[0] * v[0], 0.0 }
            : new[] { v[1] * v[1], 2 * v[1] * v[0] }, x, y);

        [Theory]
        [InlineData(1.0, 2.0)] // && true
        [InlineData(-1.0, 2.0)] // || left
        [InlineData(1.0, -2.0)] // || right (y < -1), && false on the right
        [InlineData(0.3, -0.5)] // !(x > 0.5) true
        [InlineData(2.0, -0.5)] // all false: y − x²
        public void And_or_not_in_conditions(double x, double y) => Check("Logic", v =>
        {
            double a = v[0], b = v[1];
            if (a > 0 && b > 0)
            {
                return new[] { b, a };
            }

            if (a < 0 || b < -1)
            {
                return new[] { 1.0, 3.0 };
            }

            return !(a > 0.5) ? new[] { 2 * a * b, a * a } : new[] { -2 * a, 1.0 };
        }, x, y);

        [Theory]
        [InlineData(2.0, 1, 1)]
        [InlineData(2.0, 1, 3)]
        [InlineData(2.0, 1, 2)]
        [InlineData(2.0, 0, 1)]
        [InlineData(20.0, 1, 1)]
        public void Conditions_on_inactive_bool_and_int(double x, int enabled, int mode) => Check("LogicWithBoolParameter", v =>
            new[] { v[1] != 0 && (v[2] == 1 || v[2] == 3) && !(v[0] > 10) ? 2 * v[0] : 5.0 }, x, enabled, mode);

        [Theory]
        [InlineData(4.0)]
        [InlineData(2.5)]
        [InlineData(-2.5)]
        [InlineData(1.0)]
        [InlineData(-0.5)]
        public void Early_returns(double x) => Check("EarlyReturns", v => new[]
        {
            v[0] > 3 ? 0.0 : v[0] * v[0] > 4 ? 3 * v[0] * v[0] : 2 * v[0] + 1,
        }, x);

        [Theory]
        [InlineData(1.5)]
        [InlineData(-1.5)]
        public void Branch_decision_is_recorded_not_re_evaluated(double x) =>

            // x > 0: x becomes −2x < 0, so the second test is false and f = (−2x)³ = −8x³; else f = x³.
            Check("ConditionVariableChangedAfterBranch", v => new[] { v[0] > 0 ? -24 * v[0] * v[0] : 3 * v[0] * v[0] }, x);

        [Theory]
        [InlineData(2.0, 0.5)]
        [InlineData(1.5, -3.0)]
        [InlineData(0.5, 0.5)]
        public void Parameter_reassigned_inside_a_branch(double x, double y) => Check("ParameterReassignedInBranch", v => v[0] > 1
            ? new[] { 2 * v[1] * v[1] * v[0] + 1, 2 * v[1] * v[0] * v[0] }
            : new[] { 1.0, 2 * v[1] }, x, y);

        [Theory]
        [InlineData(2.0, 0.5)]
        [InlineData(0.5, 0.5)]
        [InlineData(-1.0, 2.0)]
        public void Local_reassigned_inside_both_branches(double x, double y) => Check("LocalReassignedInBranch", v =>
        {
            double a = v[0], b = v[1];
            if (a > 1)
            {
                double t = b * a;
                return new[] { 2 * t * b + 1, 2 * t * a };
            }
            else
            {
                double t = b + a * a;
                return new[] { 2 * t * 2 * a + 1, 2 * t };
            }
        }, x, y);

        [Theory]
        [InlineData(-0.5, 2.0)] // −x·y
        [InlineData(0.5, 2.0)] // y − x²
        [InlineData(0.5, 0.1)] // sin(x²·y)
        [InlineData(1.5, 0.7)] // (x·y)² + x
        public void Piecewise_of_the_snapshot_test(double x, double y) => Check("Piecewise", v =>
        {
            double a = v[0], b = v[1];
            if (a < 0)
            {
                return new[] { -b, -a };
            }

            if (a < 1)
            {
                return b > a * a
                    ? new[] { -2 * a, 1.0 }
                    : new[] { Math.Cos(a * a * b) * 2 * a * b, Math.Cos(a * a * b) * a * a };
            }

            return new[] { 2 * a * b * b + 1, 2 * a * a * b };
        }, x, y);

        [Theory]
        [InlineData(0.7)]
        [InlineData(-2.0)]
        public void Const_and_static_readonly_fields(double x) =>
            Check("Fields", v => new[] { 5 * v[0] + Math.Sqrt(3.0) }, x);

        [Fact]
        public void Const_and_static_readonly_fields_of_another_type()
        {
            var model = Compiled.Load("""
                using System;
                using DiffGen;
                namespace Flow
                {
                    public static class Settings
                    {
                        public const double Offset = 0.75;
                        public static readonly double Scale = Math.Sqrt(2.0);
                    }

                    public static partial class G
                    {
                        [Differentiable]
                        public static double Fields(double x) => Settings.Offset * x * x + Settings.Scale * x;
                    }
                }
                """);
            model.Check("Flow.G", "Fields", new[] { 0.7 }, v => new[] { 1.5 * v[0] + Math.Sqrt(2.0) });
        }

        [Fact]
        public void The_adjoint_of_a_parameter_unused_on_the_taken_branch_is_zero()
        {
            var left = Model.Gradient("Flow.C", "OneSideUnused", 1.0, 5.0);
            Assert.Equal((3.0, 0.0), (left["dX"], left["dY"]));
            var right = Model.Gradient("Flow.C", "OneSideUnused", -1.0, 5.0);
            Assert.Equal((0.0, 2.0), (right["dX"], right["dY"]));
        }

        [Fact]
        public void A_constant_method_has_zero_gradient()
        {
            var g = Model.Gradient("Flow.C", "ConstantResult", 3.0);
            Assert.Equal(4.0, g.Value);
            Assert.Equal(0.0, g["dX"]);
        }

        // ---- The Gradient / Backward contract ----

        [Fact]
        public void Backward_adds_seed_times_gradient_into_the_adjoints()
        {
            double[] x = { 0.7, -1.3 };
            var g = Model.Gradient("Flow.C", "Locals", x);
            var b = Model.Backward("Flow.C", "Locals", x, 3.0, new[] { 10.0, -20.0 });
            Numeric.Exact(g.Value, b.Value, "value");
            Numeric.Exact(10.0 + 3.0 * g.Adjoints[0], b.Adjoints[0], "dX");
            Numeric.Exact(-20.0 + 3.0 * g.Adjoints[1], b.Adjoints[1], "dY");
        }

        [Fact]
        public void Backward_called_twice_accumulates_twice()
        {
            double[] x = { 0.5, -1.0, 2.0, 3.0 };
            var g = Model.Gradient("Flow.C", "Loss", x);
            var once = Model.Backward("Flow.C", "Loss", x, 1.0, new[] { 0.0, 0.0 });
            var twice = Model.Backward("Flow.C", "Loss", x, 1.0, once.Adjoints);
            Numeric.Exact(g.Adjoints.Select(a => 2 * a).ToArray(), twice.Adjoints, "two Backward calls");
        }

        [Theory]
        [InlineData("SquareTwice", 1.3)]
        [InlineData("IncrementParameter", -0.6)]
        [InlineData("ConditionVariableChangedAfterBranch", -1.5)]
        public void Backward_into_nonzero_adjoints_of_a_reassigned_parameter(string method, double x)
        {
            // A parameter that the body overwrites must not use the caller's accumulator as its working adjoint.
            var g = Model.Gradient("Flow.C", method, x);
            var b = Model.Backward("Flow.C", method, new[] { x }, 2.0, new[] { 10.0 });
            Numeric.Exact(10.0 + 2.0 * g["dX"], b["dX"], method + " dX");
        }

        [Fact]
        public void Backward_into_nonzero_adjoints_when_both_parameters_are_reassigned()
        {
            double[] x = { 0.7, -1.3 };
            var g = Model.Gradient("Flow.C", "CompoundOnParameter", x);
            var b = Model.Backward("Flow.C", "CompoundOnParameter", x, 1.0, new[] { 5.0, -7.0 });
            Numeric.Exact(5.0 + g["dX"], b["dX"], "dX");
            Numeric.Exact(-7.0 + g["dY"], b["dY"], "dY");
        }

        [Fact]
        public void Backward_with_zero_seed_leaves_adjoints_unchanged()
        {
            var b = Model.Backward("Flow.C", "Chain", new[] { 1.0 }, 0.0, new[] { 42.0 });
            Assert.Equal(42.0, b.Adjoints[0]);
            Assert.Equal(Math.Sin(1.0), b.Value);
        }

        [Fact]
        public void Backward_with_a_negative_seed_on_a_branchy_method()
        {
            var g = Model.Gradient("Flow.C", "Nested", 1.5, -2.0);
            var b = Model.Backward("Flow.C", "Nested", new[] { 1.5, -2.0 }, -0.5, new[] { 1.0, 1.0 });
            Numeric.Exact(1.0 - 0.5 * g["dX"], b["dX"], "dX");
            Numeric.Exact(1.0 - 0.5 * g["dY"], b["dY"], "dY");
        }

        [Fact]
        public void Gradient_returns_the_same_adjoints_on_every_call()
        {
            var first = Model.Gradient("Flow.C", "Compound", 0.7, -1.3);
            var second = Model.Gradient("Flow.C", "Compound", 0.7, -1.3);
            Assert.Equal(first.Adjoints, second.Adjoints);
        }

        [Fact]
        public void Generated_signatures_follow_the_contract()
        {
            var type = Model.Type("Flow.C");
            var gradient = type.GetMethod("LossGradient")!;
            Assert.True(gradient.IsStatic && gradient.IsPublic);
            Assert.Equal(new[] { "w", "b", "x", "y", "dW", "dB" }, gradient.GetParameters().Select(p => p.Name));
            Assert.True(gradient.GetParameters()[4].IsOut);
            var backward = type.GetMethod("LossBackward")!;
            Assert.Equal(new[] { "w", "b", "x", "y", "seed", "dW", "dB" }, backward.GetParameters().Select(p => p.Name));
            Assert.True(backward.GetParameters()[5].ParameterType.IsByRef && !backward.GetParameters()[5].IsOut);
        }
    }
}
