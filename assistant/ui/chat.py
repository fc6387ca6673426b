"""The Chat tab: streamed answers with follow-ups, a sources panel, filters and thumbs up/down.

The conversation lives in a gr.State list of turns {"question", "answer": <ask JSON>}; the chatbot
shows it as a user and an assistant message per turn, so message i belongs to turn i // 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.domain import Filters, QuestionError
from assistant.feedback import FeedbackEntry, FeedbackStore
from assistant.service import AssistantService
from assistant.ui.errors import swedish_errors
from assistant.ui.render import answer_markdown, mode_notice, sources_panel

EXAMPLE_QUESTIONS = [
    "Vilka sju åtgärdsområden finns i miljööverenskommelserna 2022–2025?",
    "Vilka åtgärdsområden har Hagfors kommun valt?",
    "Vad tar Vägledning för lokalt arbete med miljömål och Agenda 2030 upp?",
    "Vilka är de 16 miljökvalitetsmålen?",
]
THANKS = {"up": "Tack! Vi noterar att svaret var till hjälp.", "down": "Tack! Vi noterar att svaret inte räckte."}
Turn = dict[str, Any]


def history_of(turns: list[Turn]) -> list[dict[str, str]]:
    history = []
    for turn in turns:
        history.append({"role": "user", "content": turn["question"]})
        history.append({"role": "assistant", "content": turn["answer"]["answer"]})
    return history


def filters_of(
    doc_type: list[str] | None, region: list[str] | None, municipality: list[str] | None, examples_only: bool
) -> Filters:
    return Filters(
        doc_type=list(doc_type or []),
        region=list(region or []),
        municipality=list(municipality or []),
        examples_only=bool(examples_only),
    )


class ChatTab:
    def __init__(self, service: AssistantService, feedback: FeedbackStore) -> None:
        self.service = service
        self.feedback = feedback

    @swedish_errors
    def respond(
        self,
        question: str,
        messages: list[dict[str, Any]],
        turns: list[Turn],
        doc_type: list[str] | None,
        region: list[str] | None,
        municipality: list[str] | None,
        examples_only: bool,
    ) -> Iterator[tuple[Any, ...]]:
        """Yields (chatbot, sources, turns, question box, notice) as the answer streams in."""
        filters = filters_of(doc_type, region, municipality, examples_only)
        try:
            events = self.service.stream(question or "", history_of(turns), filters)
        except QuestionError as exc:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), f"⚠️ {exc}"
            return
        messages = [*messages, {"role": "user", "content": question}, {"role": "assistant", "content": ""}]
        text = ""
        for event in events:
            if event["type"] in ("token", "replace"):
                # A replace swaps a generated answer that failed its check for the extractive one.
                text = event["text"] if event["type"] == "replace" else text + event["text"]
                messages[-1] = {"role": "assistant", "content": text}
                yield messages, gr.skip(), gr.skip(), "", ""
            elif event["type"] == "citations":
                yield gr.skip(), sources_panel(None, event["citations"]), gr.skip(), gr.skip(), gr.skip()
            elif event["type"] == "done":
                answer = event["answer"]
                messages[-1] = {"role": "assistant", "content": answer_markdown(answer)}
                turns = [*turns, {"question": question, "answer": answer}]
                yield messages, sources_panel(answer), turns, "", mode_notice(answer)

    @staticmethod
    def show_sources(turns: list[Turn], selected: gr.SelectData) -> str:
        """Clicking an earlier message shows that answer's sources again."""
        index = selected.index if isinstance(selected.index, int) else selected.index[0]
        if index // 2 >= len(turns):
            return gr.skip()
        return sources_panel(turns[index // 2]["answer"])

    def rate(self, turns: list[Turn], comment: str, liked: gr.LikeData) -> tuple[str, str]:
        """Thumbs up/down on an answer, stored with its question and citations (and the comment)."""
        index = liked.index if isinstance(liked.index, int) else liked.index[0]
        if liked.liked not in (True, False) or index // 2 >= len(turns):
            return gr.skip(), gr.skip()  # a thumb taken back, or an answer still streaming
        turn = turns[index // 2]
        rating = "up" if liked.liked else "down"
        entry = FeedbackEntry(
            rating=rating,
            question=turn["question"],
            answer=turn["answer"]["answer"],
            citations=turn["answer"]["citations"],
            comment=(comment or "").strip(),
            channel="ui",
        )
        self.feedback.add(entry)
        return THANKS[rating], ""

    def build(self, filter_inputs: list[gr.components.Component]) -> None:
        """Lays the tab out inside the current Blocks context. The filters (doc type, region,
        municipality, examples only) come unrendered from the caller, who refreshes their choices."""
        turns = gr.State([])
        with gr.Accordion("Filter", open=False), gr.Row():
            for component in filter_inputs:
                component.render()
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chatbot = gr.Chatbot(
                    label="Samtal",
                    elem_id="samtal",
                    height=480,
                    feedback_options=("Like", "Dislike"),
                    placeholder="Ställ en fråga eller välj ett exempel nedan.",
                    buttons=["copy"],
                    latex_delimiters=[],
                )
                notice = gr.Markdown(elem_id="meddelande")
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        label="Din fråga",
                        placeholder="Skriv en fråga och tryck Enter",
                        elem_id="fraga",
                        scale=5,
                        max_lines=4,
                        autofocus=True,
                    )
                    send = gr.Button("Skicka", variant="primary", scale=1, min_width=90, elem_id="skicka")
            with gr.Column(scale=2, min_width=300):
                sources = gr.HTML(sources_panel(None), label="Källor", elem_id="kallor", padding=False)
        # Below both columns, so that at phone width the sources come right after the chat.
        gr.Markdown("**Exempel på frågor**")
        with gr.Row(elem_id="exempelfragor"):
            examples = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLE_QUESTIONS]
        with gr.Row(equal_height=False):
            comment = gr.Textbox(
                label="Kommentar till svaret (valfri, skickas med tummen upp eller ner)",
                max_lines=3,
                elem_id="kommentar",
                scale=4,
            )
            clear = gr.Button("Nytt samtal", size="sm", variant="secondary", scale=1, min_width=120)

        inputs = [question, chatbot, turns, *filter_inputs]
        outputs = [chatbot, sources, turns, question, notice]
        ask = {"fn": self.respond, "inputs": inputs, "outputs": outputs, "show_progress": "minimal"}
        question.submit(**ask, api_name="fraga")
        send.click(**ask, api_visibility="private")
        for button, text in zip(examples, EXAMPLE_QUESTIONS, strict=True):
            button.click(lambda t=text: t, outputs=question, api_visibility="private").then(
                **ask, api_visibility="private"
            )
        chatbot.like(self.rate, [turns, comment], [notice, comment], api_visibility="private")
        chatbot.select(self.show_sources, [turns], [sources], api_visibility="private")
        # The chatbot's own trash button and "Nytt samtal" both start over, history included.
        for event in (clear.click, chatbot.clear):
            event(
                lambda: ([], [], sources_panel(None), ""),
                outputs=[chatbot, turns, sources, notice],
                api_visibility="private",
            )
