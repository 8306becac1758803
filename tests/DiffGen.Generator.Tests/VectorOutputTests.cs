using System;
using System.Reflection;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Vector-valued methods ([Output] spans, issue 8): the pullback with one seed per output, the tangent with one
    /// tangent per output, and FJacobian by both strategies, against closed forms and central differences.
    /// </summary>
    public class VectorOutputTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            public static partial class V
            {
                // Polar to Cartesian: J = [[cos θ, −r sin θ], [sin θ, r cos θ]].
                [Differentiable(Modes = DiffModes.Jacobian)]
                public static void Polar(double r, double theta, [Output] Span<double> xy)
                {
                    xy[0] = r * Math.Cos(theta);
                    xy[1] = r * Math.Sin(theta);
                }

                // One input, any number of outputs: y[i] = sin((i + 1) t), so FJacobian goes forward when y has more than one element.
                [Differentiable(Modes = DiffModes.Jacobian)]
                public static void Harmonics(double t, [Output] Span<double> y)
                {
                    for (int i = 0; i < y.Length; i++)
                    {
                        y[i] = Math.Sin((i + 1) * t);
                    }
                }

                // Loops, an output read back and accumulated into, an output overwritten, a branch and an early return.
                [Differentiable(Modes = DiffModes.Jacobian)]
                public static void Mixed(double a, ReadOnlySpan<double> x, [NoDiff] int copies, [Output] Span<double> y)
                {
                    int n = x.Length;
                    for (int c = 0; c < copies; c++)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            y[c * n + i] = a * x[i] * x[i] + c * Math.Exp(x[i] / (1 + c));
                        }
                    }

                    y[0] += y[1] * a;
                    y[1] = y[1] * y[1];
                    if (a > 0)
                    {
                        y[2] = Math.Tanh(y[2] * a);
                        return;
                    }

                    y[2] = -y[2];
                }

                [Differentiable(Modes = DiffModes.Jacobian)]
                public static void Single(float a, float b, [Output] Span<float> y)
                {
                    y[0] = a * b;
                    y[1] = MathF.Sqrt(a * a + b * b);
                    y[2] = MathF.Exp(a - b);
                }

                [Differentiable(Modes = DiffModes.Jacobian)]
                public static void Sparse(double a, double b, [Output] Span<double> y)
                {
                    y[1] = a * b;
                }

                // Outputs overwritten in a loop with functions of their old values.
                [Differentiable(Modes = DiffModes.Jacobian)]
                public static void Running(ReadOnlySpan<double> x, [Output] Span<double> y)
                {
                    y[0] = 1;
                    y[1] = 0.5;
                    for (int i = 0; i < x.Length; i++)
                    {
                        y[0] = y[0] * x[i];
                        y[1] = y[0] + Math.Sin(y[1]);
                    }
                }

                // Reverse only: the pullback alone.
                [Differentiable]
                public static void Only(double a, [Output] Span<double> y)
                {
                    y[1] = a * a;
                }

                public static void PolarA(double[] p, double[] y) => Polar(p[0], p[1], y);
                public static void PolarJ(double[] p, double[] y, double[] j) => PolarJacobian(p[0], p[1], y, j);
                public static void HarmonicsA(double[] p, double[] y) => Harmonics(p[0], y);
                public static void HarmonicsJ(double[] p, double[] y, double[] j) => HarmonicsJacobian(p[0], y, j);
                public static void MixedA(double[] p, double[] y) => Mixed(p[0], p.AsSpan(1), y.Length / (p.Length - 1), y);
                public static void MixedJ(double[] p, double[] y, double[] j) => MixedJacobian(p[0], p.AsSpan(1), y.Length / (p.Length - 1), y, j);
                public static void MixedT(double[] p, double[] v, double[] y, double[] yDot) => MixedTangent(p[0], p.AsSpan(1), y.Length / (p.Length - 1), y, v[0], v.AsSpan(1), yDot);
                public static void MixedB(double[] p, double[] y, double[] seeds, double[] adjoints)
                {
                    double dA = adjoints[0];
                    MixedBackward(p[0], p.AsSpan(1), y.Length / (p.Length - 1), y, seeds, ref dA, adjoints.AsSpan(1));
                    adjoints[0] = dA;
                }

                public static void SparseA(double[] p, double[] y) => Sparse(p[0], p[1], y);
                public static void SparseJ(double[] p, double[] y, double[] j) => SparseJacobian(p[0], p[1], y, j);
                public static void RunningA(double[] p, double[] y) => Running(p, y);
                public static void RunningJ(double[] p, double[] y, double[] j) => RunningJacobian(p, y, j);
                public static void SingleA(float[] p, float[] y) => Single(p[0], p[1], y);
                public static void SingleJ(float[] p, float[] y, float[] j) => SingleJacobian(p[0], p[1], y, j);
                public static void OnlyB(double a, double[] y, double[] seeds, double[] dA)
                {
                    double d = dA[0];
                    OnlyBackward(a, y, seeds, ref d);
                    dA[0] = d;
                }
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Load(Source));

        private static T Method<T>(string name) where T : Delegate
            => (T)s_assembly.Value.GetType("V")!.GetMethod(name)!.CreateDelegate(typeof(T));

        private static double[] Jacobian(string name, double[] p, int outputs)
        {
            var y = new double[outputs];
            var j = new double[outputs * p.Length];
            Method<Action<double[], double[], double[]>>(name + "J")(p, y, j);
            var expected = new double[outputs];
            Method<Action<double[], double[]>>(name + "A")(p, expected);
            Numeric.Exact(expected, y, name + " outputs written by the Jacobian");
            return j;
        }

        /// <summary>Central differences of each output, column by column.</summary>
        private static double[] FiniteDifferenceJacobian(string name, double[] p, int outputs)
        {
            var f = Method<Action<double[], double[]>>(name + "A");
            var j = new double[outputs * p.Length];
            for (int c = 0; c < p.Length; c++)
            {
                double h = Numeric.Step(p[c]);
                var plus = (double[])p.Clone();
                var minus = (double[])p.Clone();
                plus[c] += h;
                minus[c] -= h;
                var yPlus = new double[outputs];
                var yMinus = new double[outputs];
                f(plus, yPlus);
                f(minus, yMinus);
                for (int r = 0; r < outputs; r++)
                {
                    j[r * p.Length + c] = (yPlus[r] - yMinus[r]) / (2 * h);
                }
            }

            return j;
        }

        [Theory]
        [InlineData(2.0, 0.3)]
        [InlineData(0.5, -2.1)]
        [InlineData(1.0, 0.0)]
        public void PolarJacobianMatchesClosedForm(double r, double theta)
        {
            var j = Jacobian("Polar", new[] { r, theta }, 2);
            Numeric.Exact(new[] { Math.Cos(theta), -r * Math.Sin(theta), Math.Sin(theta), r * Math.Cos(theta) }, j, "polar Jacobian");
        }

        [Theory]
        [InlineData(1)] // one output, one input: reverse
        [InlineData(7)] // seven outputs, one input: forward
        public void HarmonicsJacobianMatchesClosedFormByEitherStrategy(int outputs)
        {
            double t = 0.7;
            var j = Jacobian("Harmonics", new[] { t }, outputs);
            var expected = new double[outputs];
            for (int i = 0; i < outputs; i++)
            {
                expected[i] = (i + 1) * Math.Cos((i + 1) * t);
            }

            Numeric.Exact(expected, j, "harmonics Jacobian with " + outputs + " outputs");
        }

        [Theory]
        [InlineData(0.8, 1)] // 4 inputs, 3 outputs: reverse
        [InlineData(0.8, 3)] // 4 inputs, 9 outputs: forward
        [InlineData(-0.6, 1)] // the other branch
        [InlineData(-0.6, 4)]
        public void MixedJacobianMatchesFiniteDifferences(double a, int copies)
        {
            var p = new[] { a, 0.4, -1.1, 0.9 };
            int outputs = copies * 3;
            var j = Jacobian("Mixed", p, outputs);
            var fd = FiniteDifferenceJacobian("Mixed", p, outputs);
            for (int k = 0; k < j.Length; k++)
            {
                Numeric.Fd(fd[k], j[k], 1.0, "Mixed Jacobian entry " + k + " (copies " + copies + ")");
            }
        }

        [Theory]
        [InlineData(2)] // 2 outputs, 2 inputs: reverse
        [InlineData(1)] // 2 outputs, 1 input: forward
        public void OutputsOverwrittenInLoopsKeepTheirFinalValues(int inputs)
        {
            var p = new[] { 0.9, -1.3 }.AsSpan(0, inputs).ToArray();
            var j = Jacobian("Running", p, 2);
            var fd = FiniteDifferenceJacobian("Running", p, 2);
            for (int k = 0; k < j.Length; k++)
            {
                Numeric.Fd(fd[k], j[k], 1.0, "Running Jacobian entry " + k);
            }
        }

        [Fact]
        public void TangentAndPullbackAreTheJacobianTimesVectors()
        {
            var p = new[] { 0.8, 0.4, -1.1, 0.9 };
            int outputs = 6;
            var j = Jacobian("Mixed", p, outputs);
            var v = new[] { 0.3, -1.2, 0.5, 2.0 };
            var y = new double[outputs];
            var yDot = new double[outputs];
            Method<Action<double[], double[], double[], double[]>>("MixedT")(p, v, y, yDot);
            var seeds = new[] { 1.5, -0.5, 0.25, 2.0, -1.0, 0.75 };
            var adjoints = new[] { 10.0, 20.0, 30.0, 40.0 }; // the pullback accumulates onto these
            Method<Action<double[], double[], double[], double[]>>("MixedB")(p, y, seeds, adjoints);
            for (int r = 0; r < outputs; r++)
            {
                double jv = 0;
                for (int c = 0; c < p.Length; c++)
                {
                    jv += j[r * p.Length + c] * v[c];
                }

                Numeric.Exact(jv, yDot[r], "(J·v)[" + r + "]");
            }

            for (int c = 0; c < p.Length; c++)
            {
                double uj = 10.0 * (c + 1);
                for (int r = 0; r < outputs; r++)
                {
                    uj += seeds[r] * j[r * p.Length + c];
                }

                Numeric.Exact(uj, adjoints[c], "previous adjoint + (uᵀ·J)[" + c + "]");
            }
        }

        [Fact]
        public void SeedsAreNotConsumedAndUnwrittenOutputsHaveZeroDerivatives()
        {
            var seeds = new[] { 3.0, 2.0 };
            var dA = new[] { 0.0 };
            var y = new[] { 99.0, 0.0 };
            var backward = Method<Action<double, double[], double[], double[]>>("OnlyB");
            backward(1.5, y, seeds, dA);
            Assert.Equal(new[] { 3.0, 2.0 }, seeds);
            Assert.Equal(99.0, y[0]); // the method does not write y[0]
            Assert.Equal(2.25, y[1]);
            Assert.Equal(2.0 * 2 * 1.5, dA[0]); // only y[1] = a² depends on a
            backward(1.5, y, seeds, dA);
            Assert.Equal(2 * 2.0 * 2 * 1.5, dA[0]);

            // In the Jacobian (three outputs, two inputs: by forward sweeps), outputs the method never writes have zero rows.
            var j = Jacobian("Sparse", new[] { 2.0, -3.0 }, 3);
            Assert.Equal(new[] { 0.0, 0.0, -3.0, 2.0, 0.0, 0.0 }, j);
        }

        [Fact]
        public void FloatJacobianMatchesClosedForm()
        {
            float a = 1.25f, b = -0.5f;
            var y = new float[3];
            var j = new float[6];
            Method<Action<float[], float[], float[]>>("SingleJ")(new[] { a, b }, y, j);
            double norm = Math.Sqrt(a * a + b * b);
            var expected = new[] { b, a, a / norm, b / norm, Math.Exp(a - b), -Math.Exp(a - b) };
            for (int k = 0; k < 6; k++)
            {
                Assert.True(Math.Abs(expected[k] - j[k]) <= 1e-6 * Math.Max(1, Math.Abs(expected[k])), "entry " + k + ": " + j[k] + " vs " + expected[k]);
            }
        }

        [Fact]
        public void JacobianAllocatesNothingInSteadyState()
        {
            var type = s_assembly.Value.GetType("V")!;
            var jacobian = Method<Action<double[], double[], double[]>>("MixedJ");
            var p = new[] { 0.8, 0.4, -1.1, 0.9 };
            foreach (int copies in new[] { 1, 3 })
            {
                var y = new double[copies * 3];
                var j = new double[y.Length * p.Length];
                for (int warm = 0; warm < 3; warm++)
                {
                    jacobian(p, y, j);
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int k = 0; k < 100; k++)
                {
                    jacobian(p, y, j);
                }

                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            Assert.NotNull(type);
        }

        [Fact]
        public void GeneratedVectorCodeCompilesWithoutWarnings()
        {
            var run = GeneratorHarness.Run(Source);
            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Empty(run.CompileDiagnostics);
            Assert.Contains(run.Sources, s => s.Value.Contains("public static void MixedJacobian(", StringComparison.Ordinal));
            Assert.DoesNotContain(run.Sources, s => s.Value.Contains("OnlyJacobian", StringComparison.Ordinal) || s.Value.Contains("OnlyTangent", StringComparison.Ordinal));
        }
    }
}
