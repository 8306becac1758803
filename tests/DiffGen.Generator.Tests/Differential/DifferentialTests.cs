using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using DiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace DiffGen.Generator.Tests.Differential
{
    /// <summary>
    /// Differential testing of derivatives: random programs from the supported grammar, compiled with the generator,
    /// their generated gradients compared with central finite differences at a random point, their pullbacks
    /// (FBackward, accumulating) with the gradient, their forward-mode
    /// tangents with the gradient along a random direction, and their Hessian-vector products (FHessianVector) with
    /// central differences of the generated gradient along it; every fourth index also has a vector-valued program
    /// ([Output] span) whose FJacobian is compared with central differences and whose FTangent with J·v. CI runs a fixed seed;
    /// DIFFGEN_DIFF_PROGRAMS and DIFFGEN_DIFF_SEED (a number, or "random") run a longer campaign;
    /// DIFFGEN_DIFF_REPORT names a file that receives every failure as it is found (the assertion shows only the first
    /// three), and a progress line per thousand programs, so a campaign cut short still leaves its findings.
    /// </summary>
    public class DifferentialTests
    {
        private const int Helpers = 3;
        private const int BatchSize = 100;
        private readonly ITestOutputHelper _output;

        public DifferentialTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void GeneratedGradientsAgreeWithFiniteDifferencesOnRandomPrograms()
        {
            int programs = int.TryParse(Environment.GetEnvironmentVariable("DIFFGEN_DIFF_PROGRAMS"), out int n) ? n : 2000;
            // DIFFGEN_DIFF_START (a multiple of the batch size) skips the first programs, so a long campaign can be split
            // over several processes: batch seeds are seed + start, so each part checks the very programs it would have.
            int first = int.TryParse(Environment.GetEnvironmentVariable("DIFFGEN_DIFF_START"), out int f) ? f / BatchSize * BatchSize : 0;
            string? seedText = Environment.GetEnvironmentVariable("DIFFGEN_DIFF_SEED");
            int seed = seedText == "random" ? Environment.TickCount : int.TryParse(seedText, out int s) ? s : 20261123;
            string? reportPath = Environment.GetEnvironmentVariable("DIFFGEN_DIFF_REPORT");
            var failures = new List<string>();
            void Fail(string text)
            {
                failures.Add(text);
                if (!string.IsNullOrEmpty(reportPath))
                {
                    System.IO.File.AppendAllText(reportPath, "=== " + text + "\n\n");
                }
            }

            int checkedComponents = 0, skippedComponents = 0, forwardChecked = 0, hessianChecked = 0, hessianSkipped = 0, jacobianChecked = 0, jacobianSkippedCount = 0;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            double compileMilliseconds = 0;
            for (int start = first; start < programs; start += BatchSize)
            {
                int count = Math.Min(BatchSize, programs - start);
                var batch = Batch.Create(seed + start, count);
                Assembly assembly;
                var compileWatch = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    assembly = batch.Compile();
                    compileMilliseconds += compileWatch.Elapsed.TotalMilliseconds;
                }
                catch (InvalidOperationException e)
                {
                    // Generated code that does not compile is a bug too; record it and go on with the campaign.
                    Fail("batch at program " + start.ToString(CultureInfo.InvariantCulture) + " (seed " + seed.ToString(CultureInfo.InvariantCulture) + "): " + e.Message);
                    continue;
                }

                var type = assembly.GetType("Random.Programs")!;
                var random = new Random(seed ^ start);
                for (int k = 0; k < count; k++)
                {
                    var primal = (Func<double[], double>)type.GetMethod("P" + k.ToString(CultureInfo.InvariantCulture))!.CreateDelegate(typeof(Func<double[], double>));
                    var gradient = (Func<double[], double[], double>)type.GetMethod("G" + k.ToString(CultureInfo.InvariantCulture))!.CreateDelegate(typeof(Func<double[], double[], double>));
                    var x = new double[6];
                    for (int i = 0; i < x.Length; i++)
                    {
                        x[i] = random.NextDouble() * 3 - 1.5;
                    }

                    bool ok;
                    string message;
                    try
                    {
                        int skipped;
                        (ok, skipped, message) = Check(primal, gradient, x);
                        checkedComponents += x.Length - skipped;
                        skippedComponents += skipped;
                        if (ok && type.GetMethod("B" + k.ToString(CultureInfo.InvariantCulture)) is { } backwardMethod)
                        {
                            var backward = (Func<double[], double, double[], double>)backwardMethod.CreateDelegate(typeof(Func<double[], double, double[], double>));
                            (ok, message) = CheckBackward(backward, gradient, x, random);
                        }

                        if (ok && type.GetMethod("T" + k.ToString(CultureInfo.InvariantCulture)) is { } tangentMethod)
                        {
                            var tangent = (Func<double[], double[], double>)tangentMethod.CreateDelegate(typeof(Func<double[], double[], double>));
                            (ok, message) = CheckTangent(tangent, gradient, x, random);
                            forwardChecked++;
                        }

                        if (ok && type.GetMethod("V" + k.ToString(CultureInfo.InvariantCulture)) is { } hvMethod)
                        {
                            var hessianVector = (Func<double[], double[], double[], double[], double>)hvMethod.CreateDelegate(typeof(Func<double[], double[], double[], double[], double>));
                            int hvSkipped;
                            (ok, hvSkipped, message) = CheckHessianVector(hessianVector, primal, gradient, x, random);
                            hessianChecked += x.Length - hvSkipped;
                            hessianSkipped += hvSkipped;
                        }
                    }
                    catch (Exception e) when (e is IndexOutOfRangeException or InvalidOperationException or ArgumentException or NullReferenceException)
                    {
                        // Generated code that throws (a stack popped once too often, an index off the end) is a bug too.
                        (ok, message) = (false, "threw " + e.GetType().Name + ": " + e.Message);
                    }

                    if (!ok)
                    {
                        Fail("program " + (start + k).ToString(CultureInfo.InvariantCulture) + " (seed " + seed.ToString(CultureInfo.InvariantCulture) + "): " + message + "\n" + batch.Sources[k]);
                    }

                    var (vectorSource, vectorOutputs) = batch.VectorSources[k];
                    if (vectorOutputs == 0)
                    {
                        continue;
                    }

                    try
                    {
                        var vectorPrimal = (Action<double[], double[]>)type.GetMethod("YP" + k.ToString(CultureInfo.InvariantCulture))!.CreateDelegate(typeof(Action<double[], double[]>));
                        var jacobian = (Action<double[], double[], double[]>)type.GetMethod("YJ" + k.ToString(CultureInfo.InvariantCulture))!.CreateDelegate(typeof(Action<double[], double[], double[]>));
                        var vectorTangent = (Action<double[], double[], double[], double[]>)type.GetMethod("YT" + k.ToString(CultureInfo.InvariantCulture))!.CreateDelegate(typeof(Action<double[], double[], double[], double[]>));
                        int jacobianSkipped;
                        (ok, jacobianSkipped, message) = CheckJacobian(vectorPrimal, jacobian, vectorTangent, vectorOutputs, x, random);
                        jacobianChecked += (vectorOutputs * x.Length) - jacobianSkipped;
                        jacobianSkippedCount += jacobianSkipped;
                    }
                    catch (Exception e) when (e is IndexOutOfRangeException or InvalidOperationException or ArgumentException or NullReferenceException)
                    {
                        (ok, message) = (false, "threw " + e.GetType().Name + ": " + e.Message);
                    }

                    if (!ok)
                    {
                        Fail("vector program " + (start + k).ToString(CultureInfo.InvariantCulture) + " (seed " + seed.ToString(CultureInfo.InvariantCulture) + "): " + message + "\n" + vectorSource);
                    }
                }

                if (!string.IsNullOrEmpty(reportPath) && (start + count) % 1000 == 0)
                {
                    System.IO.File.AppendAllText(reportPath, "progress: " + (start + count).ToString(CultureInfo.InvariantCulture) + " programs, " + failures.Count.ToString(CultureInfo.InvariantCulture) + " failures, " + watch.Elapsed.TotalMinutes.ToString("F1", CultureInfo.InvariantCulture) + " min\n");
                }
            }

            _output.WriteLine($"{programs - first} programs (from {first}), {checkedComponents} gradient components checked, {skippedComponents} skipped at non-smooth points, {forwardChecked} forward-mode tangents checked against the gradient, {hessianChecked} Hessian-vector components checked ({hessianSkipped} skipped at non-smooth points), {jacobianChecked} Jacobian entries of vector-valued programs checked ({jacobianSkippedCount} skipped), {watch.Elapsed.TotalMilliseconds / Math.Max(1, programs - first):F1} ms per program ({compileMilliseconds / Math.Max(1, programs - first):F1} ms of it generating and compiling), seed {seed}");
            Assert.True(failures.Count == 0, failures.Count + " mismatches:\n" + string.Join("\n\n", failures.Take(3)));
        }

        /// <summary>
        /// Forward mode against reverse mode: the tangent along a random direction must equal the gradient times it.
        /// Both are exact, so they differ only by rounding in different evaluation orders; 1e-9 relative to the
        /// size of the terms Σ|gᵢvᵢ| leaves room for the cancellations of long random expressions.
        /// </summary>
        internal static (bool Ok, string Message) CheckTangent(Func<double[], double[], double> tangent, Func<double[], double[], double> grad, double[] x, Random random)
        {
            var g = new double[x.Length];
            Array.Fill(g, double.NaN);
            grad(x, g);
            var v = new double[x.Length];
            double expected = 0, scale = 0;
            for (int i = 0; i < v.Length; i++)
            {
                v[i] = random.NextDouble() * 2 - 1;
                expected += g[i] * v[i];
                scale += Math.Abs(g[i] * v[i]);
            }

            double actual = tangent(x, v);
            bool ok = Math.Abs(actual - expected) <= 1e-9 * (1 + scale) || (double.IsNaN(actual) && double.IsNaN(expected));
            return (ok, ok ? string.Empty : "forward-mode tangent " + actual.ToString("R", CultureInfo.InvariantCulture) + " but gradient·v = " + expected.ToString("R", CultureInfo.InvariantCulture));
        }

        /// <summary>
        /// The checks themselves can fail: on f(x) = Σ xᵢ³ (∇f = 3x², H·v = 6x∘v) a pullback that overwrites instead of
        /// adding, a Hessian-vector product off by a factor, a Jacobian row and a J·v off by 1 %, are rejected; the
        /// correct ones pass.
        /// </summary>
        [Fact]
        public void TheBackwardHessianVectorAndJacobianChecksRejectWrongResults()
        {
            static double F(double[] x) => x.Sum(e => e * e * e);
            static double Grad(double[] x, double[] g)
            {
                for (int i = 0; i < x.Length; i++)
                {
                    g[i] = 3 * x[i] * x[i];
                }

                return F(x);
            }

            double[] x = { 0.3, -1.2, 0.8, 1.5, -0.4, 0.1 };
            Func<double[], double, double[], double> adds = (p, seed, d) => { for (int i = 0; i < p.Length; i++) { d[i] += seed * 3 * p[i] * p[i]; } return F(p); };
            Func<double[], double, double[], double> overwrites = (p, seed, d) => { for (int i = 0; i < p.Length; i++) { d[i] = seed * 3 * p[i] * p[i]; } return F(p); };
            Assert.True(CheckBackward(adds, Grad, x, new Random(1)).Ok);
            Assert.False(CheckBackward(overwrites, Grad, x, new Random(1)).Ok);

            Func<double[], double[], double[], double[], double> exact = (p, v, g, hv) => { Grad(p, g); for (int i = 0; i < p.Length; i++) { hv[i] = 6 * p[i] * v[i]; } return F(p); };
            Func<double[], double[], double[], double[], double> halved = (p, v, g, hv) => { Grad(p, g); for (int i = 0; i < p.Length; i++) { hv[i] = 3 * p[i] * v[i]; } return F(p); };
            Assert.True(CheckHessianVector(exact, F, Grad, x, new Random(2)).Ok);
            Assert.False(CheckHessianVector(halved, F, Grad, x, new Random(2)).Ok);

            // y = (Σ xᵢ³, x₀·x₁): rows 3x² and (x₁, x₀, 0, …).
            static void Y(double[] p, double[] y)
            {
                y[0] = F(p);
                y[1] = p[0] * p[1];
            }

            static void Rows(double[] p, double[] j, double scale)
            {
                for (int i = 0; i < p.Length; i++)
                {
                    j[i] = 3 * p[i] * p[i] * scale;
                    j[p.Length + i] = i == 0 ? p[1] : i == 1 ? p[0] : 0;
                }
            }

            static void Tangent(double[] p, double[] v, double[] y, double[] yDot, double scale)
            {
                Y(p, y);
                var j = new double[2 * p.Length];
                Rows(p, j, scale);
                for (int r = 0; r < 2; r++)
                {
                    yDot[r] = 0;
                    for (int i = 0; i < p.Length; i++)
                    {
                        yDot[r] += j[(r * p.Length) + i] * v[i];
                    }
                }
            }

            Assert.True(CheckJacobian(Y, (p, y, j) => { Y(p, y); Rows(p, j, 1); }, (p, v, y, yDot) => Tangent(p, v, y, yDot, 1), 2, x, new Random(3)).Ok);
            Assert.False(CheckJacobian(Y, (p, y, j) => { Y(p, y); Rows(p, j, 1.01); }, (p, v, y, yDot) => Tangent(p, v, y, yDot, 1.01), 2, x, new Random(3)).Ok);
            Assert.False(CheckJacobian(Y, (p, y, j) => { Y(p, y); Rows(p, j, 1); }, (p, v, y, yDot) => Tangent(p, v, y, yDot, 1.01), 2, x, new Random(3)).Ok);
        }

        /// <summary>
        /// A vector-valued program: FJacobian's outputs must be the method's, each Jacobian entry the central difference
        /// of its output at two step sizes (skipped where they disagree, as for gradients), and FTangent's J·v the
        /// Jacobian times a random direction (both exact, so to rounding).
        /// </summary>
        internal static (bool Ok, int Skipped, string Message) CheckJacobian(
            Action<double[], double[]> f, Action<double[], double[], double[]> jacobian, Action<double[], double[], double[], double[]> tangent, int outputs, double[] x, Random random)
        {
            int n = x.Length;
            var y = new double[outputs];
            f(x, y);
            var yJ = new double[outputs];
            var j = new double[outputs * n];
            Array.Fill(j, double.NaN);
            jacobian(x, yJ, j);
            for (int r = 0; r < outputs; r++)
            {
                if (!(Math.Abs(yJ[r] - y[r]) <= 1e-12 * Math.Max(1, Math.Abs(y[r]))))
                {
                    return (false, 0, $"FJacobian output {r}: {yJ[r]} != the method's {y[r]}");
                }
            }

            int skipped = 0;
            for (int col = 0; col < n; col++)
            {
                var fd1 = OutputDifference(f, x, col, outputs, 1e-4);
                var fd2 = OutputDifference(f, x, col, outputs, 1e-5);
                for (int r = 0; r < outputs; r++)
                {
                    double scale = Math.Max(1, Math.Max(Math.Abs(fd1[r]), Math.Abs(fd2[r])));
                    if (double.IsNaN(fd2[r]) || Math.Abs(fd1[r] - fd2[r]) > 1e-5 * scale)
                    {
                        skipped++;
                        continue;
                    }

                    if (!(Math.Abs(j[(r * n) + col] - fd2[r]) <= 1e-5 * scale))
                    {
                        return (false, skipped, $"Jacobian entry ({r}, {col}): generated {j[(r * n) + col].ToString("R", CultureInfo.InvariantCulture)}, finite differences {fd2[r].ToString("R", CultureInfo.InvariantCulture)} at x = [{string.Join(", ", x.Select(e => e.ToString("R", CultureInfo.InvariantCulture)))}]");
                    }
                }
            }

            var v = new double[n];
            for (int i = 0; i < n; i++)
            {
                v[i] = (random.NextDouble() * 2) - 1;
            }

            var yT = new double[outputs];
            var yDot = new double[outputs];
            Array.Fill(yDot, double.NaN);
            tangent(x, v, yT, yDot);
            for (int r = 0; r < outputs; r++)
            {
                double expected = 0, scale = 0;
                for (int i = 0; i < n; i++)
                {
                    expected += j[(r * n) + i] * v[i];
                    scale += Math.Abs(j[(r * n) + i] * v[i]);
                }

                if (!(Math.Abs(yT[r] - y[r]) <= 1e-12 * Math.Max(1, Math.Abs(y[r]))) || !(Math.Abs(yDot[r] - expected) <= 1e-9 * (1 + scale)))
                {
                    return (false, skipped, $"FTangent output {r}: value {yT[r]} (method {y[r]}), J·v {yDot[r].ToString("R", CultureInfo.InvariantCulture)} but the Jacobian gives {expected.ToString("R", CultureInfo.InvariantCulture)}");
                }
            }

            return (true, skipped, string.Empty);
        }

        private static double[] OutputDifference(Action<double[], double[]> f, double[] x, int i, int outputs, double h)
        {
            var p = (double[])x.Clone();
            var m = (double[])x.Clone();
            p[i] += h;
            m[i] -= h;
            var yp = new double[outputs];
            var ym = new double[outputs];
            f(p, yp);
            f(m, ym);
            var d = new double[outputs];
            for (int r = 0; r < outputs; r++)
            {
                d[r] = (yp[r] - ym[r]) / (p[i] - m[i]);
            }

            return d;
        }

        /// <summary>
        /// FBackward against FGradient: the pullback adds seed·∇f into adjoints that already hold something (a minibatch
        /// summed into one buffer), where FGradient overwrites. Its body is written separately (no whole stores, no
        /// out-assignment), so it is checked separately: d must become d₀ + seed·∇f, to rounding.
        /// </summary>
        internal static (bool Ok, string Message) CheckBackward(Func<double[], double, double[], double> backward, Func<double[], double[], double> grad, double[] x, Random random)
        {
            var g = new double[x.Length];
            grad(x, g);
            double seed = (random.NextDouble() * 4) - 2;
            var before = new double[x.Length];
            for (int i = 0; i < before.Length; i++)
            {
                before[i] = (random.NextDouble() * 2) - 1;
            }

            var d = (double[])before.Clone();
            backward(x, seed, d);
            for (int i = 0; i < x.Length; i++)
            {
                double expected = before[i] + (seed * g[i]);
                double scale = 1 + Math.Abs(before[i]) + Math.Abs(seed * g[i]);
                if (!(Math.Abs(d[i] - expected) <= 1e-9 * scale) && !(double.IsNaN(d[i]) && double.IsNaN(expected)))
                {
                    return (false, $"FBackward component {i}: {d[i].ToString("R", CultureInfo.InvariantCulture)}, expected d₀ + seed·∇f = {expected.ToString("R", CultureInfo.InvariantCulture)} (seed {seed.ToString("R", CultureInfo.InvariantCulture)})");
                }
            }

            return (true, string.Empty);
        }

        /// <summary>
        /// Reverse over forward against reverse: FHessianVector's value and gradient must be FGradient's (to rounding),
        /// and its H·v the central differences of the generated gradient along v, (∇f(x + hv) − ∇f(x − hv)) / 2h, at
        /// two step sizes; where they disagree the segment crosses a kink or branch of the gradient and that component
        /// is skipped, as for the gradient itself. Rounding in the differences is about ε·|∇f|/h, hence the gradient's
        /// size in the scale.
        /// </summary>
        internal static (bool Ok, int Skipped, string Message) CheckHessianVector(
            Func<double[], double[], double[], double[], double> hessianVector, Func<double[], double> f, Func<double[], double[], double> grad, double[] x, Random random)
        {
            var v = new double[x.Length];
            for (int i = 0; i < v.Length; i++)
            {
                v[i] = random.NextDouble() * 2 - 1;
            }

            var g = new double[x.Length];
            var hvGradient = new double[x.Length];
            var hv = new double[x.Length];
            Array.Fill(g, double.NaN);
            Array.Fill(hvGradient, double.NaN);
            Array.Fill(hv, double.NaN);
            grad(x, g);
            double value = hessianVector(x, v, hvGradient, hv);
            double direct = f(x);
            if (!(Math.Abs(value - direct) <= 1e-12 * Math.Max(1, Math.Abs(direct))))
            {
                return (false, 0, $"FHessianVector value {value} != primal {direct}");
            }

            double gradientSize = g.Max(Math.Abs);
            for (int i = 0; i < x.Length; i++)
            {
                if (!(Math.Abs(hvGradient[i] - g[i]) <= 1e-9 * Math.Max(1, gradientSize)) && !(double.IsNaN(g[i]) && double.IsNaN(hvGradient[i])))
                {
                    return (false, 0, $"FHessianVector gradient component {i}: {hvGradient[i].ToString("R", CultureInfo.InvariantCulture)}, FGradient {g[i].ToString("R", CultureInfo.InvariantCulture)}");
                }
            }

            var fd1 = DirectionalDifference(grad, x, v, 1e-4);
            var fd2 = DirectionalDifference(grad, x, v, 1e-5);
            int skipped = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double scale = Math.Max(Math.Max(1, 1e-5 * gradientSize), Math.Max(Math.Abs(fd1[i]), Math.Abs(fd2[i])));
                if (double.IsNaN(fd2[i]) || Math.Abs(fd1[i] - fd2[i]) > 1e-5 * scale)
                {
                    skipped++;
                    continue;
                }

                if (!(Math.Abs(hv[i] - fd2[i]) <= 1e-5 * scale))
                {
                    return (false, skipped, $"H·v component {i}: generated {hv[i].ToString("R", CultureInfo.InvariantCulture)}, differences of the gradient {fd2[i].ToString("R", CultureInfo.InvariantCulture)} along v = [{string.Join(", ", v.Select(e => e.ToString("R", CultureInfo.InvariantCulture)))}] at x = [{string.Join(", ", x.Select(e => e.ToString("R", CultureInfo.InvariantCulture)))}]");
                }
            }

            return (true, skipped, string.Empty);
        }

        private static double[] DirectionalDifference(Func<double[], double[], double> grad, double[] x, double[] v, double h)
        {
            var p = new double[x.Length];
            var m = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                p[i] = x[i] + (h * v[i]);
                m[i] = x[i] - (h * v[i]);
            }

            var gp = new double[x.Length];
            var gm = new double[x.Length];
            grad(p, gp);
            grad(m, gm);
            var d = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = (gp[i] - gm[i]) / (2 * h);
            }

            return d;
        }

        /// <summary>
        /// Compares each gradient component with central differences at two step sizes. When the two differences
        /// disagree the point is at (or near) a kink or branch boundary of the random program, where no derivative
        /// exists to compare with: that component is skipped and counted. Otherwise the generated value must match the
        /// finer difference within 1e-5 relative (truncation error O(h²) ≈ 1e-10 and rounding ε/h ≈ 1e-10 at
        /// h = 1e-5, far below that, even for the large second derivatives nested exp/pow terms produce).
        /// </summary>
        internal static (bool Ok, int Skipped, string Message) Check(Func<double[], double> f, Func<double[], double[], double> grad, double[] x)
        {
            // NaN to start with: FGradient overwrites (or clears) its adjoint arrays, so an element it missed shows.
            var g = new double[x.Length];
            Array.Fill(g, double.NaN);
            double value = grad(x, g);
            double direct = f(x);
            if (!(Math.Abs(value - direct) <= 1e-12 * Math.Max(1, Math.Abs(direct))))
            {
                return (false, 0, $"value {value} != primal {direct}");
            }

            int skipped = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double fd1 = Central(f, x, i, 1e-4);
                double fd2 = Central(f, x, i, 1e-5);
                double scale = Math.Max(1, Math.Max(Math.Abs(fd1), Math.Abs(fd2)));
                if (double.IsNaN(fd2) || Math.Abs(fd1 - fd2) > 1e-5 * scale)
                {
                    skipped++;
                    continue;
                }

                if (!(Math.Abs(g[i] - fd2) <= 1e-5 * scale))
                {
                    return (false, skipped, $"component {i}: generated {g[i].ToString("R", CultureInfo.InvariantCulture)}, finite differences {fd2.ToString("R", CultureInfo.InvariantCulture)} at x = [{string.Join(", ", x.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]");
                }
            }

            return (true, skipped, string.Empty);
        }

        private static double Central(Func<double[], double> f, double[] x, int i, double h)
        {
            var p = (double[])x.Clone();
            var m = (double[])x.Clone();
            p[i] += h;
            m[i] -= h;
            return (f(p) - f(m)) / (p[i] - m[i]);
        }

        /// <summary>A batch of random programs compiled together, with drivers callable through delegates.</summary>
        internal sealed class Batch
        {
            public List<string> Sources { get; } = new();

            /// <summary>The vector-valued program of each index, with its number of outputs.</summary>
            public List<(string Source, int Outputs)> VectorSources { get; } = new();

            private string _text = string.Empty;

            public static Batch Create(int seed, int count)
            {
                var batch = new Batch();
                var b = new StringBuilder();
                b.Append("using System;\nusing DiffGen;\nnamespace Random\n{\npublic static partial class Programs\n{\n");
                b.Append("    public static double Sq(double x) => x * x;\n");
                b.Append("    [DerivativeOf(nameof(Sq))]\n    public static double SqBackward(double x, double seed, ref double dX) { dX += 2 * x * seed; return x * x; }\n");
                b.Append("    public static double SqHessianVector(double x, double xDot, out double dX, out double hvX) { dX = 2 * x; hvX = 2 * xDot; return x * x; }\n");
                for (int h = 0; h < Helpers; h++)
                {
                    var helper = new RandomProgram(seed * 31 + h, 0);
                    string result = helper.Generate();
                    string method = RandomProgram.Method("H" + h.ToString(CultureInfo.InvariantCulture), helper.Statements, result);
                    // H0 has forward mode, so forward-mode callers differentiate calls to it through its FTangent; H1 and
                    // H2 through their pullbacks. All three have Hessian mode, which callers in Hessian mode need.
                    b.Append(method.Replace("[Differentiable]", h == 0
                        ? "[Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]"
                        : "[Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]"));
                }

                for (int k = 0; k < count; k++)
                {
                    var program = new RandomProgram(seed * 7919 + k, Helpers);
                    string result = program.Generate();
                    string name = "F" + k.ToString(CultureInfo.InvariantCulture);
                    string method = RandomProgram.Method(name, program.Statements, result);
                    string kk = k.ToString(CultureInfo.InvariantCulture);
                    // Every program is generated in forward and Hessian mode too: its tangent is checked against the
                    // gradient, its Hessian-vector product against differences of the gradient.
                    method = method.Replace("[Differentiable]", "[Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]");
                    b.Append("    public static double T" + kk + "(double[] x, double[] v) { F" + kk + "Tangent(x[0], x[1], x[2], x.AsSpan(3), v[0], v[1], v[2], v.AsSpan(3), out double t); return t; }\n");
                    b.Append("    public static double V" + kk + "(double[] x, double[] v, double[] g, double[] hv) => F" + kk + "HessianVector(x[0], x[1], x[2], x.AsSpan(3), v[0], v[1], v[2], v.AsSpan(3), out g[0], out g[1], out g[2], g.AsSpan(3), out hv[0], out hv[1], out hv[2], hv.AsSpan(3));\n");

                    batch.Sources.Add(method);
                    b.Append(method);
                    b.Append("    public static double P" + kk + "(double[] x) => F" + kk + "(x[0], x[1], x[2], x.AsSpan(3));\n");
                    b.Append("    public static double G" + kk + "(double[] x, double[] g) => F" + kk + "Gradient(x[0], x[1], x[2], x.AsSpan(3), out g[0], out g[1], out g[2], g.AsSpan(3));\n");
                    b.Append("    public static double B" + kk + "(double[] x, double seed, double[] d) => F" + kk + "Backward(x[0], x[1], x[2], x.AsSpan(3), seed, ref d[0], ref d[1], ref d[2], d.AsSpan(3));\n");

                    // And, for every fourth index, a vector-valued program (they cost three times as much to build): two
                    // outputs (FJacobian takes a reverse sweep per row) or seven, more than the six inputs (a forward
                    // sweep per column).
                    if (k % 4 != 0)
                    {
                        batch.VectorSources.Add((string.Empty, 0));
                        continue;
                    }

                    var vector = new RandomProgram((seed * 7919) + k + 500_000, Helpers);
                    vector.Statements.Add("double y0 = " + vector.Generate() + ";");
                    int outputs = k % 8 == 0 ? 7 : 2;
                    var expressions = new List<string> { "y0" };
                    for (int j = 1; j < outputs; j++)
                    {
                        // Each further output mixes the first with the (overwritten) scalars and a buffer element.
                        string factor = (0.5 + (0.25 * j)).ToString("R", CultureInfo.InvariantCulture);
                        expressions.Add("y0 * " + factor + " + Math.Sin(" + "abc"[j % 3] + " * " + factor + ") * " + "abc"[(j + 1) % 3] + " + buf[" + (j % 4).ToString(CultureInfo.InvariantCulture) + "]");
                    }

                    string vectorMethod = RandomProgram.VectorMethod("Y" + kk, vector.Statements, expressions);
                    b.Append(vectorMethod);
                    b.Append("    public static void YP" + kk + "(double[] x, double[] o) => Y" + kk + "(x[0], x[1], x[2], x.AsSpan(3), o);\n");
                    b.Append("    public static void YJ" + kk + "(double[] x, double[] o, double[] jacobian) => Y" + kk + "Jacobian(x[0], x[1], x[2], x.AsSpan(3), o, jacobian);\n");
                    b.Append("    public static void YT" + kk + "(double[] x, double[] v, double[] o, double[] oDot) => Y" + kk + "Tangent(x[0], x[1], x[2], x.AsSpan(3), o, v[0], v[1], v[2], v.AsSpan(3), oDot);\n");
                    batch.VectorSources.Add((vectorMethod, outputs));
                }

                b.Append("}\n}\n");
                batch._text = b.ToString();
                return batch;
            }

            public Assembly Compile() => GeneratorHarness.Load(_text);
        }
    }
}
