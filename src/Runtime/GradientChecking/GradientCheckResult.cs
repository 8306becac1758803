using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace DiffGen
{
    /// <summary>
    /// The outcome of <see cref="GradientCheck"/>: for every parameter the analytic derivative, the central-difference
    /// estimate and their errors, plus the function value as computed by both functions.
    /// </summary>
    /// <remarks>
    /// Errors are defined exactly as follows, with <c>a</c> the analytic and <c>n</c> the numeric derivative:
    /// <c>AbsoluteError = |a − n|</c> and
    /// <c>RelativeError = |a − n| / max(|a|, |n|, <see cref="RelativeErrorFloor"/>)</c>.
    /// A component passes when <c>AbsoluteError ≤ absTol</c> OR <c>RelativeError ≤ relTol</c>; NaN errors never pass.
    /// The two function values (from the scalar function and from the gradient function) are compared the same way.
    /// </remarks>
    public sealed class GradientCheckResult
    {
        /// <summary>The denominator floor in the relative error, so that two (near-)zero derivatives do not divide by zero.</summary>
        public const double RelativeErrorFloor = 1e-12;

        /// <summary>How many rows <see cref="ToString()"/> prints before it lists only the failing and worst components.</summary>
        private const int MaxTableRows = 50;

        private readonly double[] _point;
        private readonly double[] _analytic;
        private readonly double[] _numeric;
        private readonly double[] _absolute;
        private readonly double[] _relative;

        internal GradientCheckResult(double[] point, double[] analytic, double[] numeric, double value, double gradientValue, double step)
        {
            _point = point;
            _analytic = analytic;
            _numeric = numeric;
            Value = value;
            GradientValue = gradientValue;
            Step = step;
            _absolute = new double[point.Length];
            _relative = new double[point.Length];
            WorstAbsoluteErrorIndex = -1;
            WorstRelativeErrorIndex = -1;
            for (int i = 0; i < point.Length; i++)
            {
                (_absolute[i], _relative[i]) = Errors(analytic[i], numeric[i]);

                // A NaN error is the worst possible one: it must surface in the summary, not hide behind a finite maximum.
                if (WorstAbsoluteErrorIndex < 0 || IsWorse(_absolute[i], WorstAbsoluteError))
                {
                    WorstAbsoluteError = _absolute[i];
                    WorstAbsoluteErrorIndex = i;
                }

                if (WorstRelativeErrorIndex < 0 || IsWorse(_relative[i], WorstRelativeError))
                {
                    WorstRelativeError = _relative[i];
                    WorstRelativeErrorIndex = i;
                }
            }

            (ValueAbsoluteError, ValueRelativeError) = Errors(gradientValue, value);
        }

        /// <summary>The number of parameters compared.</summary>
        public int Count => _point.Length;

        /// <summary>The relative step: component i was perturbed by <c>±Step · max(1, |xᵢ|)</c>.</summary>
        public double Step { get; }

        /// <summary>The point at which the gradient was checked.</summary>
        public IReadOnlyList<double> Point => Array.AsReadOnly(_point);

        /// <summary>The gradient reported by the gradient (or Backward) function.</summary>
        public IReadOnlyList<double> Analytic => Array.AsReadOnly(_analytic);

        /// <summary>The central-difference estimate of every partial derivative.</summary>
        public IReadOnlyList<double> Numeric => Array.AsReadOnly(_numeric);

        /// <summary><c>|analytic − numeric|</c> per component.</summary>
        public IReadOnlyList<double> AbsoluteError => Array.AsReadOnly(_absolute);

        /// <summary><c>|analytic − numeric| / max(|analytic|, |numeric|, 1e-12)</c> per component.</summary>
        public IReadOnlyList<double> RelativeError => Array.AsReadOnly(_relative);

        /// <summary>The value of the scalar function at <see cref="Point"/>.</summary>
        public double Value { get; }

        /// <summary>The value returned by the gradient (or Backward) function at <see cref="Point"/>; it should equal <see cref="Value"/>.</summary>
        public double GradientValue { get; }

        /// <summary><c>|GradientValue − Value|</c>.</summary>
        public double ValueAbsoluteError { get; }

        /// <summary><c>|GradientValue − Value| / max(|GradientValue|, |Value|, 1e-12)</c>.</summary>
        public double ValueRelativeError { get; }

        /// <summary>The largest absolute error (NaN if any component's error is NaN); 0 when there are no parameters.</summary>
        public double WorstAbsoluteError { get; }

        /// <summary>The index of <see cref="WorstAbsoluteError"/>, or −1 when there are no parameters.</summary>
        public int WorstAbsoluteErrorIndex { get; }

        /// <summary>The largest relative error (NaN if any component's error is NaN); 0 when there are no parameters.</summary>
        public double WorstRelativeError { get; }

        /// <summary>The index of <see cref="WorstRelativeError"/>, or −1 when there are no parameters.</summary>
        public int WorstRelativeErrorIndex { get; }

        /// <summary>
        /// Whether every gradient component, and the value returned by the gradient function, passes:
        /// <c>abs ≤ absTol</c> or <c>rel ≤ relTol</c>.
        /// </summary>
        /// <param name="absTol">The absolute tolerance.</param>
        /// <param name="relTol">The relative tolerance.</param>
        /// <returns><see langword="true"/> when everything passes.</returns>
        public bool IsClose(double absTol = GradientCheck.DefaultAbsoluteTolerance, double relTol = GradientCheck.DefaultRelativeTolerance)
        {
            if (!IsValueClose(absTol, relTol))
            {
                return false;
            }

            for (int i = 0; i < Count; i++)
            {
                if (!IsElementClose(i, absTol, relTol))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Whether gradient component <paramref name="index"/> passes: <c>abs ≤ absTol</c> or <c>rel ≤ relTol</c>.</summary>
        /// <param name="index">The component.</param>
        /// <param name="absTol">The absolute tolerance.</param>
        /// <param name="relTol">The relative tolerance.</param>
        /// <returns><see langword="true"/> when the component passes.</returns>
        public bool IsElementClose(int index, double absTol = GradientCheck.DefaultAbsoluteTolerance, double relTol = GradientCheck.DefaultRelativeTolerance)
        {
            return Passes(_absolute[index], _relative[index], absTol, relTol);
        }

        /// <summary>Whether the gradient function's returned value matches the scalar function's value.</summary>
        /// <param name="absTol">The absolute tolerance.</param>
        /// <param name="relTol">The relative tolerance.</param>
        /// <returns><see langword="true"/> when the values agree.</returns>
        public bool IsValueClose(double absTol = GradientCheck.DefaultAbsoluteTolerance, double relTol = GradientCheck.DefaultRelativeTolerance)
        {
            return Passes(ValueAbsoluteError, ValueRelativeError, absTol, relTol);
        }

        /// <summary>The indices of the gradient components that fail, in ascending order.</summary>
        /// <param name="absTol">The absolute tolerance.</param>
        /// <param name="relTol">The relative tolerance.</param>
        /// <returns>The failing indices (empty when all pass).</returns>
        public IReadOnlyList<int> FailingIndices(double absTol = GradientCheck.DefaultAbsoluteTolerance, double relTol = GradientCheck.DefaultRelativeTolerance)
        {
            var failing = new List<int>();
            for (int i = 0; i < Count; i++)
            {
                if (!IsElementClose(i, absTol, relTol))
                {
                    failing.Add(i);
                }
            }

            return new ReadOnlyCollection<int>(failing);
        }

        /// <summary>The comparison table, judged with the default tolerances.</summary>
        /// <returns>A multi-line table, one row per component.</returns>
        public override string ToString() => ToString(GradientCheck.DefaultAbsoluteTolerance, GradientCheck.DefaultRelativeTolerance);

        /// <summary>
        /// The comparison table, judged with the given tolerances: a summary, the value check, then one row per component
        /// (index, x, analytic, numeric, absolute and relative error, ok/FAIL). Beyond 50 components only the failing
        /// and the worst rows are listed.
        /// </summary>
        /// <param name="absTol">The absolute tolerance.</param>
        /// <param name="relTol">The relative tolerance.</param>
        /// <returns>A multi-line table.</returns>
        public string ToString(double absTol, double relTol)
        {
            CultureInfo c = CultureInfo.InvariantCulture;
            var sb = new StringBuilder();
            sb.Append(c, $"Gradient check of {Count} parameter(s): central differences with step {Step:G3}·max(1, |x_i|); ");
            sb.Append(c, $"a component passes if abs <= {absTol:G3} or rel <= {relTol:G3}, rel = abs / max(|analytic|, |numeric|, {RelativeErrorFloor:G3}).");
            sb.AppendLine();
            sb.Append(c, $"value: f(x) = {Value:G17}, gradient function returned {GradientValue:G17} ({Status(IsValueClose(absTol, relTol))})");
            sb.AppendLine();
            if (Count == 0)
            {
                return sb.ToString();
            }

            sb.Append(c, $"worst absolute error {WorstAbsoluteError:G3} at index {WorstAbsoluteErrorIndex}; worst relative error {WorstRelativeError:G3} at index {WorstRelativeErrorIndex}");
            sb.AppendLine();
            sb.Append(c, $"{"index",6} {"x",16} {"analytic",24} {"numeric",24} {"abs error",10} {"rel error",10}  status");
            sb.AppendLine();

            bool all = Count <= MaxTableRows;
            int printed = 0;
            for (int i = 0; i < Count; i++)
            {
                bool close = IsElementClose(i, absTol, relTol);
                bool interesting = !close || i == WorstAbsoluteErrorIndex || i == WorstRelativeErrorIndex;
                if (!all && (!interesting || printed >= MaxTableRows))
                {
                    continue;
                }

                sb.Append(c, $"{i,6} {_point[i],16:G9} {_analytic[i],24:G17} {_numeric[i],24:G17} {_absolute[i],10:G3} {_relative[i],10:G3}  {Status(close)}");
                sb.AppendLine();
                printed++;
            }

            if (printed < Count)
            {
                sb.Append(c, $"({Count - printed} passing or excess rows omitted)");
                sb.AppendLine();
            }

            return sb.ToString();
        }

        private static (double Absolute, double Relative) Errors(double analytic, double numeric)
        {
            double absolute = Math.Abs(analytic - numeric);
            double scale = Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numeric)), RelativeErrorFloor);
            return (absolute, absolute / scale);
        }

        private static bool IsWorse(double candidate, double current) => double.IsNaN(candidate) ? !double.IsNaN(current) : candidate > current;

        // Written as "<=" so that NaN errors (and NaN tolerances) fail.
        private static bool Passes(double absolute, double relative, double absTol, double relTol) => absolute <= absTol || relative <= relTol;

        private static string Status(bool close) => close ? "ok" : "FAIL";
    }
}
