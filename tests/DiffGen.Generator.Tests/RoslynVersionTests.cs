using System;
using System.Reflection;
using DiffGen.Generator;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// This suite runs twice (tests/DiffGen.Generator.Tests on Roslyn 4.8, tests/DiffGen.Generator.Tests.Roslyn5 on
    /// Roslyn 5). The generator looks up a newer compiler's way to bind without nullable analysis by name; if a Roslyn
    /// renamed it, the generator would quietly go back to the slower binding, so the lookup itself is checked here.
    /// </summary>
    public sealed class RoslynVersionTests
    {
        [Fact]
        public void The_front_end_binds_without_nullable_analysis_exactly_where_the_compiler_can()
        {
            var bodyModel = typeof(DifferentiableGenerator).Assembly.GetType("DiffGen.Generator.FrontEnd.BodyModel", throwOnError: true)!;
            var skips = (bool)bodyModel.GetProperty("SkipsNullableAnalysis", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            var roslyn = typeof(Compilation).Assembly.GetName().Version!;
#if ROSLYN5
            Assert.True(roslyn.Major >= 5, "the Roslyn5 suite runs on Roslyn " + roslyn);
#else
            Assert.Equal(new Version(4, 8), new Version(roslyn.Major, roslyn.Minor));
#endif
            Assert.Equal(roslyn >= new Version(4, 9), skips);
        }
    }
}
