package io.kaflowsql.engine.internal.expr;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LikePatternTest
{
    @Test
    void percentMatchesAnySequenceAndUnderscoreOneCharacter()
    {
        assertThat(LikePattern.compile("page%", null).matches("page_view")).isTrue();
        assertThat(LikePattern.compile("page%", null).matches("a page")).isFalse();
        assertThat(LikePattern.compile("%view", null).matches("page_view")).isTrue();
        assertThat(LikePattern.compile("%ge_v%", null).matches("page_view")).isTrue();
        assertThat(LikePattern.compile("%cart%", null).matches("add_to_cart")).isTrue();
        assertThat(LikePattern.compile("a_c", null).matches("abc")).isTrue();
        assertThat(LikePattern.compile("a_c", null).matches("abbc")).isFalse();
        assertThat(LikePattern.compile("a%c%e", null).matches("abcde")).isTrue();
        assertThat(LikePattern.compile("a%c%e", null).matches("abcd")).isFalse();
        assertThat(LikePattern.compile("exact", null).matches("exact")).isTrue();
        assertThat(LikePattern.compile("exact", null).matches("exactly")).isFalse();
        assertThat(LikePattern.compile("%", null).matches("")).isTrue();
    }

    @Test
    void regexCharactersAreLiteral()
    {
        assertThat(LikePattern.compile("a.c", null).matches("abc")).isFalse();
        assertThat(LikePattern.compile("a.c", null).matches("a.c")).isTrue();
        assertThat(LikePattern.compile("(x)*%", null).matches("(x)*yz")).isTrue();
        assertThat(LikePattern.compile("line%", null).matches("line\nbreak")).isTrue();
    }

    @Test
    void escapeMakesWildcardsLiteral()
    {
        assertThat(LikePattern.compile("100!%", '!').matches("100%")).isTrue();
        assertThat(LikePattern.compile("100!%", '!').matches("1000")).isFalse();
        assertThat(LikePattern.compile("a!_%", '!').matches("a_b")).isTrue();
        assertThat(LikePattern.compile("a!_%", '!').matches("ab")).isFalse();
        assertThatThrownBy(() -> LikePattern.compile("abc!", '!')).isInstanceOf(EvaluationException.class);
    }
}
