"""Ingest embeds the answer units, so a first answer on never-answered passages embeds only its question."""

from assistant.service import AssistantService


def test_a_first_answer_embeds_only_the_question(sample_settings):
    service = AssistantService(sample_settings)  # a new process state: nothing cached in memory
    answer = service.ask("Vilka sju åtgärdsområden finns i Säffles miljööverenskommelse?")
    assert not answer.refused
    assert service.store.embeddings.computed <= 1  # the question's vector; every unit came from the cache
