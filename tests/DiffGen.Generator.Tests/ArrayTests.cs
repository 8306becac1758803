using System;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Arrays, spans, matrices and local buffers (issue 3): parameter kinds and their adjoints (double[], Span,
    /// ReadOnlySpan, float forms, T[,] with a matrix adjoint, [NoDiff] jagged rows), the length / dimension checks,
    /// overwrite-vs-accumulate of span adjoints, local buffers (new T[n], new T[r, c], stackalloc, Span locals)
    /// with element overwrites and +=, and calls taking spans from inside loops.
    /// </summary>
    public class ArrayTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Arrays
            {
                public static partial class A
                {
                    [Differentiable]
                    public static double SumSquares(double[] w)
                    {
                        double s = 0.0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            s += w[i] * w[i];
                        }

                        return s;
                    }

                    public static double SumSquaresGrad(double[] w, double[] d) => SumSquaresGradient(w, d);

                    public static double SumSquaresBack(double[] w, double seed, double[] d) => SumSquaresBackward(w, seed, d);

                    [Differentiable]
                    public static double MutableSpanInput(Span<double> w, double k) => w[0] * w[1] * k + w[2];

                    public static double MutableSpanInputGrad(double[] w, double k, double[] dW, double[] dK) => MutableSpanInputGradient(w, k, dW, out dK[0]);

                    [Differentiable]
                    public static float FloatWeighted(float[] a, ReadOnlySpan<float> b)
                    {
                        float s = 0f;
                        for (int i = 0; i < a.Length; i++)
                        {
                            s += a[i] * b[i] * b[i];
                        }

                        return s;
                    }

                    public static float FloatWeightedGrad(float[] a, float[] b, float[] dA, float[] dB) => FloatWeightedGradient(a, b, dA, dB);

                    [Differentiable]
                    public static double MatrixResidual(double[,] w, ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> y)
                    {
                        double s = 0.0;
                        for (int r = 0; r < w.GetLength(0); r++)
                        {
                            double a = 0.0;
                            for (int c = 0; c < w.GetLength(1); c++)
                            {
                                a += w[r, c] * x[c];
                            }

                            double e = a - y[r];
                            s += e * e;
                        }

                        return s;
                    }

                    public static double MatrixResidualValue(double[,] w, double[] x, double[] y) => MatrixResidual(w, x, y);

                    public static double MatrixResidualGrad(double[,] w, double[] x, double[] y, double[,] dW, double[] dX) => MatrixResidualGradient(w, x, y, dW, dX);

                    public static double MatrixResidualBack(double[,] w, double[] x, double[] y, double seed, double[,] dW, double[] dX) => MatrixResidualBackward(w, x, y, seed, dW, dX);

                    [Differentiable]
                    public static double QuadraticForm([NoDiff] double[,] q, ReadOnlySpan<double> x)
                    {
                        double s = 0.0;
                        for (int i = 0; i < x.Length; i++)
                        {
                            for (int j = 0; j < x.Length; j++)
                            {
                                s += x[i] * q[i, j] * x[j];
                            }
                        }

                        return s;
                    }

                    public static double QuadraticFormGrad(double[,] q, double[] x, double[] dX) => QuadraticFormGradient(q, x, dX);

                    [Differentiable]
                    public static double LocalMatrix(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
                    {
                        int n = u.Length;
                        double[,] m = new double[n, n];
                        for (int i = 0; i < n; i++)
                        {
                            for (int j = 0; j < n; j++)
                            {
                                m[i, j] = u[i] * v[j];
                            }
                        }

                        double s = 0.0;
                        for (int i = 0; i < n; i++)
                        {
                            s += m[i, i] * m[i, n - 1 - i];
                        }

                        return s;
                    }

                    public static double LocalMatrixGrad(double[] u, double[] v, double[] dU, double[] dV) => LocalMatrixGradient(u, v, dU, dV);

                    [Differentiable]
                    public static double StackBuffer(ReadOnlySpan<double> w)
                    {
                        Span<double> buf = stackalloc double[4];
                        for (int i = 0; i < 4; i++)
                        {
                            buf[i] = w[i] * w[(i + 1) % 4];
                        }

                        double s = 0.0;
                        for (int i = 0; i < 4; i++)
                        {
                            s += buf[i] * buf[i];
                        }

                        return s;
                    }

                    public static double StackBufferGrad(double[] w, double[] dW) => StackBufferGradient(w, dW);

                    [Differentiable]
                    public static double Overwrite(ReadOnlySpan<double> w)
                    {
                        double[] buf = new double[3];
                        for (int i = 0; i < w.Length; i++)
                        {
                            buf[i % 3] = buf[i % 3] * 0.5 + w[i] * w[i];
                        }

                        for (int k = 0; k < 3; k++)
                        {
                            buf[k] = Math.Sin(buf[k]);
                        }

                        return buf[0] + 2.0 * buf[1] + 3.0 * buf[2];
                    }

                    public static double OverwriteValue(double[] w) => Overwrite(w);

                    public static double OverwriteGrad(double[] w, double[] dW) => OverwriteGradient(w, dW);

                    [Differentiable]
                    public static double Accumulate(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x)
                    {
                        int n = x.Length;
                        int m = w.Length / n;
                        double[] h = new double[m];
                        for (int j = 0; j < m; j++)
                        {
                            for (int i = 0; i < n; i++)
                            {
                                h[j] += w[j * n + i] * x[i];
                            }
                        }

                        double s = 0.0;
                        for (int j = 0; j < m; j++)
                        {
                            s += h[j] * h[j] * h[j];
                        }

                        return s;
                    }

                    public static double AccumulateGrad(double[] w, double[] x, double[] dW) => AccumulateGradient(w, x, dW);

                    [Differentiable]
                    public static double SpanLocal(ReadOnlySpan<double> w)
                    {
                        Span<double> t = new double[w.Length];
                        for (int i = 0; i < w.Length; i++)
                        {
                            t[i] = Math.Exp(w[i]);
                        }

                        double s = 0.0;
                        for (int i = 0; i < t.Length; i++)
                        {
                            s += t[i];
                        }

                        return Math.Log(s);
                    }

                    public static double SpanLocalGrad(double[] w, double[] dW) => SpanLocalGradient(w, dW);

                    // ---- calls taking spans, from inside loops ----
                    [Differentiable]
                    public static double WeightedNorm(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x)
                    {
                        double s = 0.0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            s += w[i] * w[i] * x[i];
                        }

                        return s;
                    }

                    public static double SumCubes(ReadOnlySpan<double> v)
                    {
                        double s = 0.0;
                        foreach (var e in v)
                        {
                            s += e * e * e;
                        }

                        return s;
                    }

                    [DerivativeOf(nameof(SumCubes))]
                    public static double SumCubesBackward(ReadOnlySpan<double> v, double seed, Span<double> dV)
                    {
                        for (int i = 0; i < v.Length; i++)
                        {
                            dV[i] += seed * 3.0 * v[i] * v[i];
                        }

                        return SumCubes(v);
                    }

                    [Differentiable]
                    public static double CallsInLoop(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> xs)
                    {
                        double total = 0.0;
                        for (int r = 0; r < 3; r++)
                        {
                            total += WeightedNorm(w, xs) * (r + 1) + DiffMath.Dot(w, w) + SumCubes(w) * r;
                        }

                        return total;
                    }

                    public static double CallsInLoopGrad(double[] w, double[] xs, double[] dW) => CallsInLoopGradient(w, xs, dW);

                    [Differentiable]
                    public static double ScalarCalleeInLoop(ReadOnlySpan<double> w)
                    {
                        double s = 0.0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            s += Square(w[i]) * Square(s + 1.0);
                        }

                        return s;
                    }

                    [Differentiable]
                    public static double Square(double x) => x * x;

                    public static double ScalarCalleeInLoopValue(double[] w) => ScalarCalleeInLoop(w);

                    public static double ScalarCalleeInLoopGrad(double[] w, double[] dW) => ScalarCalleeInLoopGradient(w, dW);

                    [Differentiable]
                    public static double SelfDot(ReadOnlySpan<double> w) => Dot(w, w);

                    [Differentiable]
                    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
                    {
                        double s = 0.0;
                        for (int i = 0; i < a.Length; i++)
                        {
                            s += a[i] * b[i];
                        }

                        return s;
                    }

                    public static double SelfDotGrad(double[] w, double[] dW) => SelfDotGradient(w, dW);

                    [Differentiable]
                    public static double Mixed(ReadOnlySpan<double> a, double k, [NoDiff] double[] data, ReadOnlySpan<double> b)
                    {
                        double s = 0.0;
                        for (int i = 0; i < a.Length; i++)
                        {
                            s += a[i] * k * data[i];
                        }

                        for (int j = 0; j < b.Length; j++)
                        {
                            s += b[j] * b[j] * k;
                        }

                        return s;
                    }

                    public static double MixedGrad(double[] a, double k, double[] data, double[] b, double[] dA, double[] dK, double[] dB) => MixedGradient(a, k, data, b, dA, out dK[0], dB);

                    public static double MixedBack(double[] a, double k, double[] data, double[] b, double seed, double[] dA, double[] dK, double[] dB) => MixedBackward(a, k, data, b, seed, dA, ref dK[0], dB);
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));

        private static Compiled Model => s_model.Value;

        private const string T = "Arrays.A";

        private static double[] Nan(int n) => Enumerable.Repeat(double.NaN, n).ToArray();

        [Fact]
        public void Array_parameter_gets_a_span_adjoint()
        {
            var gradient = Model.Type(T).GetMethod("SumSquaresGradient")!;
            Assert.Equal(typeof(Span<double>), gradient.GetParameters()[1].ParameterType);
            Assert.Equal("dW", gradient.GetParameters()[1].Name);
            Assert.Equal(typeof(Span<double>), Model.Type(T).GetMethod("SumSquaresBackward")!.GetParameters()[2].ParameterType);
        }

        [Fact]
        public void Array_parameter_gradient_overwrites_the_adjoint()
        {
            double[] w = { 0.5, -1.0, 2.0 };
            var d = Nan(3);
            double value = (double)Model.Invoke(T, "SumSquaresGrad", w, d)!;
            Assert.Equal(5.25, value);
            Assert.Equal(new[] { 1.0, -2.0, 4.0 }, d);
        }

        [Fact]
        public void Array_parameter_backward_accumulates_and_scales()
        {
            double[] w = { 0.5, -1.0, 2.0 };
            var d = new[] { 10.0, 20.0, 30.0 };
            Model.Invoke(T, "SumSquaresBack", w, 3.0, d);
            Model.Invoke(T, "SumSquaresBack", w, -1.0, d);
            Assert.Equal(new[] { 10.0 + 2 * 1.0, 20.0 + 2 * -2.0, 30.0 + 2 * 4.0 }, d);
        }

        [Theory]
        [InlineData(2)]
        [InlineData(4)]
        public void Wrong_adjoint_length_throws_ArgumentException_naming_the_adjoint(int length)
        {
            var e = Assert.Throws<ArgumentException>(() => Model.Invoke(T, "SumSquaresGrad", new double[3], new double[length]));
            Assert.Equal("dW", e.ParamName);
            var b = Assert.Throws<ArgumentException>(() => Model.Invoke(T, "SumSquaresBack", new double[3], 1.0, new double[length]));
            Assert.Equal("dW", b.ParamName);
        }

        [Fact]
        public void Empty_arrays_are_fine()
        {
            Assert.Equal(0.0, (double)Model.Invoke(T, "SumSquaresGrad", Array.Empty<double>(), Array.Empty<double>())!);
        }

        [Fact]
        public void Mutable_span_parameter_as_input()
        {
            double[] w = { 1.5, -2.0, 0.5 };
            var dW = Nan(3);
            var dK = new double[1];
            double value = (double)Model.Invoke(T, "MutableSpanInputGrad", w, 3.0, dW, dK)!;
            Assert.Equal(1.5 * -2.0 * 3.0 + 0.5, value);
            Assert.Equal(new[] { -6.0, 4.5, 1.0 }, dW);
            Assert.Equal(-3.0, dK[0]);
            Assert.Equal(new[] { 1.5, -2.0, 0.5 }, w); // the input is not modified
        }

        [Fact]
        public void Float_array_and_float_span_parameters_get_float_adjoints()
        {
            float[] a = { 0.5f, -1.0f, 2.0f }, b = { 3.0f, 0.25f, -4.0f };
            var dA = new float[3];
            var dB = new float[3];
            float value = (float)Model.Invoke(T, "FloatWeightedGrad", a, b, dA, dB)!;
            Assert.Equal(0.5f * 9f - 0.0625f + 32f, value, 5);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(b[i] * b[i], dA[i], 5);
                Assert.Equal(2 * a[i] * b[i], dB[i], 5);
            }

            Assert.Equal(typeof(Span<float>), Model.Type(T).GetMethod("FloatWeightedGradient")!.GetParameters()[2].ParameterType);
        }

        // ---- T[,] parameters with matrix adjoints ----

        private static readonly double[,] s_w = { { 0.5, -1.0, 2.0 }, { 1.5, 0.25, -0.75 } };
        private static readonly double[] s_x = { 0.3, -1.2, 0.8 };
        private static readonly double[] s_y = { 1.0, -0.5 };

        [Fact]
        public void Matrix_parameter_gets_a_matrix_adjoint()
        {
            var dW = new double[2, 3];
            dW[1, 2] = double.NaN; // overwritten
            var dX = Nan(3);
            double value = (double)Model.Invoke(T, "MatrixResidualGrad", s_w, s_x, s_y, dW, dX)!;

            var e = new double[2];
            for (int r = 0; r < 2; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    e[r] += s_w[r, c] * s_x[c];
                }

                e[r] -= s_y[r];
            }

            Numeric.Exact(e[0] * e[0] + e[1] * e[1], value, "value");
            for (int r = 0; r < 2; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Numeric.Exact(2 * e[r] * s_x[c], dW[r, c], $"dW[{r},{c}]");
                }
            }

            for (int c = 0; c < 3; c++)
            {
                Numeric.Exact(2 * e[0] * s_w[0, c] + 2 * e[1] * s_w[1, c], dX[c], $"dX[{c}]");
            }

            // Finite differences over the 6 matrix entries and the 3 inputs.
            double F(double[] t)
            {
                var w = new double[2, 3];
                for (int k = 0; k < 6; k++)
                {
                    w[k / 3, k % 3] = t[k];
                }

                return (double)Model.Invoke(T, "MatrixResidualValue", w, t[6..], s_y)!;
            }

            double[] theta = s_w.Cast<double>().Concat(s_x).ToArray();
            Numeric.MatchesFiniteDifferences(F, theta, dW.Cast<double>().Concat(dX).ToArray(), "finite differences");
        }

        [Fact]
        public void Matrix_backward_accumulates()
        {
            var dW = new double[2, 3];
            var dX = new double[3];
            Model.Invoke(T, "MatrixResidualBack", s_w, s_x, s_y, 1.0, dW, dX);
            var once = (double[,])dW.Clone();
            Model.Invoke(T, "MatrixResidualBack", s_w, s_x, s_y, 1.0, dW, dX);
            for (int r = 0; r < 2; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Numeric.Exact(2 * once[r, c], dW[r, c], $"dW[{r},{c}]");
                }
            }
        }

        [Theory]
        [InlineData(3, 2)]
        [InlineData(2, 2)]
        [InlineData(2, 4)]
        public void Matrix_adjoint_with_wrong_dimensions_throws(int rows, int cols)
        {
            var e = Assert.Throws<ArgumentException>(() => Model.Invoke(T, "MatrixResidualGrad", s_w, s_x, s_y, new double[rows, cols], new double[3]));
            Assert.Equal("dW", e.ParamName);
        }

        [Fact]
        public void NoDiff_matrix_quadratic_form()
        {
            double[,] q = { { 2.0, 0.5, 0.0 }, { -1.0, 3.0, 0.25 }, { 0.0, 1.5, 1.0 } };
            double[] x = { 0.3, -1.2, 0.8 };
            var dX = new double[3];
            Model.Invoke(T, "QuadraticFormGrad", q, x, dX);
            for (int k = 0; k < 3; k++)
            {
                double expected = 0;
                for (int j = 0; j < 3; j++)
                {
                    expected += (q[k, j] + q[j, k]) * x[j];
                }

                Numeric.Exact(expected, dX[k], $"(Q + Qᵀ)x [{k}]");
            }
        }

        [Theory]
        [InlineData(3)]
        [InlineData(4)]
        public void Local_matrix_buffer(int n)
        {
            var u = Enumerable.Range(0, n).Select(i => 0.3 * i - 0.5).ToArray();
            var v = Enumerable.Range(0, n).Select(i => 1.0 - 0.4 * i).ToArray();
            var dU = new double[n];
            var dV = new double[n];
            Model.Invoke(T, "LocalMatrixGrad", u, v, dU, dV);
            for (int k = 0; k < n; k++)
            {
                int m = n - 1 - k;
                Numeric.Exact(2 * u[k] * v[k] * v[m], dU[k], $"dU[{k}]");
                Numeric.Exact(u[k] * u[k] * v[m] + u[m] * u[m] * v[m], dV[k], $"dV[{k}]");
            }
        }

        // ---- jagged [NoDiff] data ----

        private const string JaggedSource = """
            using System;
            using DiffGen;

            namespace Arrays
            {
                public static partial class J
                {
                    [Differentiable]
                    public static double JaggedFit(ReadOnlySpan<double> c, [NoDiff] double[][] rows)
                    {
                        double s = 0.0;
                        for (int i = 0; i < rows.Length; i++)
                        {
                            double r = c[0] + c[1] * rows[i][0] - rows[i][1];
                            s += r * r;
                        }

                        return s;
                    }

                    public static double JaggedFitGrad(double[] c, double[][] rows, double[] dC) => JaggedFitGradient(c, rows, dC);

                    [Differentiable]
                    public static double JaggedRowLengths(ReadOnlySpan<double> c, [NoDiff] double[][] rows, [NoDiff] int count)
                    {
                        double s = 0.0;
                        for (int i = 0; i < count; i++)
                        {
                            double p = 0.0;
                            for (int k = 0; k < rows[i].Length; k++)
                            {
                                p += c[k] * rows[i][k];
                            }

                            s += p * p;
                        }

                        return s;
                    }

                    public static double JaggedRowLengthsGrad(double[] c, double[][] rows, int count, double[] dC) => JaggedRowLengthsGradient(c, rows, count, dC);
                }
            }
            """;

        private static readonly double[][] s_rows = { new[] { 0.0, 1.0 }, new[] { 1.0, 2.5 }, new[] { 2.0, 5.5 }, new[] { -1.0, -0.75 } };

        [Fact]
        public void Jagged_NoDiff_data_rows()
        {
            var model = Compiled.Load(JaggedSource);
            double[] c = { 0.8, 2.1 };
            var dC = Nan(2);
            double value = (double)model.Invoke("Arrays.J", "JaggedFitGrad", c, s_rows, dC)!;
            double v = 0, g0 = 0, g1 = 0;
            foreach (var row in s_rows)
            {
                double r = c[0] + c[1] * row[0] - row[1];
                v += r * r;
                g0 += 2 * r;
                g1 += 2 * r * row[0];
            }

            Numeric.Exact(v, value, "value");
            Numeric.Exact(new[] { g0, g1 }, dC, "dC");
            Assert.Equal(3, model.Type("Arrays.J").GetMethod("JaggedFitGradient")!.GetParameters().Length);
        }

        [Fact]
        public void Jagged_rows_of_different_lengths()
        {
            var model = Compiled.Load(JaggedSource);
            double[][] rows = { new[] { 1.0 }, new[] { 0.5, -1.0, 2.0 }, new[] { 2.0, 0.25 } };
            double[] c = { 0.3, -0.7, 1.1 };
            var dC = Nan(3);
            model.Invoke("Arrays.J", "JaggedRowLengthsGrad", c, rows, 3, dC);
            var expected = new double[3];
            foreach (var row in rows)
            {
                double p = row.Select((x, k) => c[k] * x).Sum();
                for (int k = 0; k < row.Length; k++)
                {
                    expected[k] += 2 * p * row[k];
                }
            }

            Numeric.Exact(expected, dC, "dC");
        }

        // ---- local buffers ----

        [Fact]
        public void Stackalloc_buffer()
        {
            double[] w = { 0.5, -1.0, 2.0, 0.3 };
            var d = new double[4];
            Model.Invoke(T, "StackBufferGrad", w, d);
            for (int k = 0; k < 4; k++)
            {
                double next = w[(k + 1) % 4], prev = w[(k + 3) % 4];
                Numeric.Exact(2 * w[k] * next * next + 2 * w[k] * prev * prev, d[k], $"dW[{k}]");
            }
        }

        [Theory]
        [InlineData(new[] { 0.5, -1.0, 2.0, 0.3, 0.9, -0.4, 1.1 })]
        [InlineData(new[] { 0.2, 0.4 })]
        public void Buffer_element_overwritten_several_times_in_a_loop(double[] w)
        {
            var d = new double[w.Length];
            double value = (double)Model.Invoke(T, "OverwriteGrad", w, d)!;
            Func<double[], double> f = v => (double)Model.Invoke(T, "OverwriteValue", v)!;
            Numeric.Exact(f(w), value, "value");
            for (int k = 0; k < w.Length; k++)
            {
                var buf = new Dual[3];
                for (int i = 0; i < w.Length; i++)
                {
                    Dual wi = i == k ? Dual.Var(w[i]) : w[i];
                    buf[i % 3] = buf[i % 3] * 0.5 + wi * wi;
                }

                Dual r = Dual.Sin(buf[0]) + 2.0 * Dual.Sin(buf[1]) + 3.0 * Dual.Sin(buf[2]);
                Numeric.Close(r.D, d[k], 1e-12 * Math.Max(1, Math.Abs(r.D)), $"dW[{k}] vs dual numbers");
            }

            Numeric.MatchesFiniteDifferences(f, w, d, "finite differences");
        }

        [Fact]
        public void Compound_assignment_into_buffer_elements()
        {
            double[] x = { 0.5, -1.5, 2.0 };
            double[] w = { 0.1, 0.2, -0.3, 0.4, -0.5, 0.6 };
            var d = new double[6];
            Model.Invoke(T, "AccumulateGrad", w, x, d);
            for (int j = 0; j < 2; j++)
            {
                double h = w[3 * j] * x[0] + w[3 * j + 1] * x[1] + w[3 * j + 2] * x[2];
                for (int i = 0; i < 3; i++)
                {
                    Numeric.Exact(3 * h * h * x[i], d[3 * j + i], $"dW[{3 * j + i}]");
                }
            }
        }

        [Fact]
        public void Span_local_over_a_new_array()
        {
            double[] w = { 0.5, -1.0, 2.0 };
            var d = new double[3];
            double value = (double)Model.Invoke(T, "SpanLocalGrad", w, d)!;
            double s = w.Sum(Math.Exp);
            Numeric.Exact(Math.Log(s), value, "log-sum-exp");
            Numeric.Exact(w.Select(v => Math.Exp(v) / s).ToArray(), d, "softmax");
        }

        // ---- calls with span arguments ----

        [Fact]
        public void Calls_with_span_arguments_from_inside_a_loop()
        {
            double[] w = { 0.5, -1.0, 2.0 };
            double[] xs = { 1.5, 0.25, -2.0 };
            var d = Nan(3);
            double value = (double)Model.Invoke(T, "CallsInLoopGrad", w, xs, d)!;

            // Σ_{r=0..2} [(r+1)·Σw²x + Σw² + r·Σw³] = 6·Σw²x + 3·Σw² + 3·Σw³.
            double expectedValue = 6 * w.Zip(xs, (a, b) => a * a * b).Sum() + 3 * w.Sum(a => a * a) + 3 * w.Sum(a => a * a * a);
            Numeric.Exact(expectedValue, value, "value");
            Numeric.Exact(w.Select((a, i) => 12 * a * xs[i] + 6 * a + 9 * a * a).ToArray(), d, "12wx + 6w + 9w²");
        }

        [Theory]
        [InlineData(new[] { 0.5, -1.0, 0.3 })]
        [InlineData(new[] { -0.2, 0.1, 0.4, -0.3 })]
        public void Scalar_callee_inside_a_loop_with_loop_carried_argument(double[] w)
        {
            var d = new double[w.Length];
            Model.Invoke(T, "ScalarCalleeInLoopGrad", w, d);
            for (int k = 0; k < w.Length; k++)
            {
                Dual s = 0.0;
                for (int i = 0; i < w.Length; i++)
                {
                    Dual wi = i == k ? Dual.Var(w[i]) : w[i];
                    s = s + wi * wi * (s + 1.0) * (s + 1.0);
                }

                Numeric.Close(s.D, d[k], 1e-12 * Math.Max(1, Math.Abs(s.D)), $"dW[{k}] vs dual numbers");
            }

            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "ScalarCalleeInLoopValue", v)!, w, d, "finite differences");
        }

        [Fact]
        public void Same_span_passed_for_two_parameters_accumulates_both_adjoints()
        {
            double[] w = { 0.5, -1.0, 2.0 };
            var d = Nan(3);
            double value = (double)Model.Invoke(T, "SelfDotGrad", w, d)!;
            Assert.Equal(5.25, value);
            Assert.Equal(new[] { 1.0, -2.0, 4.0 }, d);
        }

        [Fact]
        public void Several_span_and_scalar_parameters_in_order()
        {
            var gradient = Model.Type(T).GetMethod("MixedGradient")!;
            Assert.Equal(new[] { "a", "k", "data", "b", "dA", "dK", "dB" }, gradient.GetParameters().Select(p => p.Name));

            double[] a = { 0.5, -1.0 }, data = { 2.0, 3.0 }, b = { 1.5, -0.5, 0.25 };
            double k = 1.25;
            var dA = Nan(2);
            var dK = new double[1];
            var dB = Nan(3);
            Model.Invoke(T, "MixedGrad", a, k, data, b, dA, dK, dB);
            Numeric.Exact(new[] { k * 2.0, k * 3.0 }, dA, "dA");
            Numeric.Exact(0.5 * 2.0 - 1.0 * 3.0 + b.Sum(v => v * v), dK[0], "dK");
            Numeric.Exact(b.Select(v => 2 * v * k).ToArray(), dB, "dB");

            // Backward adds into all three kinds of adjoint.
            Model.Invoke(T, "MixedBack", a, k, data, b, 2.0, dA, dK, dB);
            Numeric.Exact(new[] { 3 * k * 2.0, 3 * k * 3.0 }, dA, "dA after Backward(seed 2)");
            Numeric.Exact(3 * (0.5 * 2.0 - 1.0 * 3.0 + b.Sum(v => v * v)), dK[0], "dK after Backward(seed 2)");
        }

        [Fact]
        public void Several_span_parameters_each_length_checked()
        {
            var e = Assert.Throws<ArgumentException>(() =>
                Model.Invoke(T, "MixedGrad", new double[2], 1.0, new double[2], new double[3], new double[2], new double[1], new double[2]));
            Assert.Equal("dB", e.ParamName);
        }
    }
}
