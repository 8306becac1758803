using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DiffGen.Benchmarks.Infrastructure
{
    /// <summary>
    /// "Time/Primal": a benchmark's mean time divided by the mean time of the <c>Primal</c> benchmark of the same class,
    /// parameters and job, the cheap-gradient ratio (reverse mode should cost a small constant times the function).
    /// Empty for classes without a <c>Primal</c> benchmark.
    /// </summary>
    public sealed class GradientOverPrimalColumn : IColumn
    {
        public const string PrimalMethod = "Primal";

        public string Id => nameof(GradientOverPrimalColumn);

        public string ColumnName => "Time/Primal";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Mean time divided by the mean time of Primal (same class, parameters and job)";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var primal = summary.BenchmarksCases.FirstOrDefault(b =>
                b.Descriptor.Type == benchmarkCase.Descriptor.Type
                && b.Descriptor.WorkloadMethod.Name == PrimalMethod
                && b.Job.DisplayInfo == benchmarkCase.Job.DisplayInfo
                && b.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo);
            if (primal is null)
            {
                return "-";
            }

            var mine = summary[benchmarkCase]?.ResultStatistics;
            var reference = summary[primal]?.ResultStatistics;
            if (mine is null || reference is null || reference.Mean <= 0)
            {
                return "?";
            }

            return (mine.Mean / reference.Mean).ToString("0.00", CultureInfo.InvariantCulture);
        }

        public override string ToString() => ColumnName;
    }
}
