import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { api } from "../lib/api.ts";
import { describeAction, type ChatAction } from "../lib/chat.ts";
import { session } from "../lib/session.ts";
import { chatOpen } from "../lib/ui-state.ts";

interface Message {
  role: "user" | "assistant";
  text: string;
  actions?: ChatAction[];
}

interface SpeechRecognitionLike {
  lang: string;
  interimResults: boolean;
  onresult: ((event: { results: ArrayLike<ArrayLike<{ transcript: string }>> }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
}
type SpeechRecognitionClass = new () => SpeechRecognitionLike;

function speechRecognition(): SpeechRecognitionClass | undefined {
  const scope = globalThis as { SpeechRecognition?: SpeechRecognitionClass; webkitSpeechRecognition?: SpeechRecognitionClass };
  return scope.SpeechRecognition ?? scope.webkitSpeechRecognition;
}

/** The assistant: a conversation, the actions each reply took, and voice input where the browser has speech recognition. */
export default function ChatPanel() {
  const messages = useSignal<Message[]>([]);
  const conversationId = useSignal<string | undefined>(undefined);
  const draft = useSignal("");
  const busy = useSignal(false);
  const listening = useSignal(false);
  const recognizer = useRef<SpeechRecognitionLike>();
  const log = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Scroll the conversation, never the page (scrollIntoView would move the page on load).
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [messages.value.length]);
  useEffect(() => {
    if (chatOpen.value) input.current?.focus();
  }, [chatOpen.value]);
  useEffect(() => {
    // A new account or sign out starts a new conversation.
    messages.value = [];
    conversationId.value = undefined;
  }, [session.value?.user.id]);
  if (!session.value) return null;
  const Recognition = speechRecognition();

  const send = async (event: Event) => {
    event.preventDefault();
    const message = draft.value.trim();
    if (!message || busy.value) return;
    busy.value = true;
    messages.value = [...messages.value, { role: "user", text: message }];
    draft.value = "";
    try {
      const turn = await api<{ conversationId: string; reply: string; actions: ChatAction[] }>("POST", "/api/chat", {
        message,
        ...(conversationId.value ? { conversationId: conversationId.value } : {}),
      });
      conversationId.value = turn.conversationId;
      messages.value = [...messages.value, { role: "assistant", text: turn.reply, actions: turn.actions }];
    } catch (error) {
      messages.value = [...messages.value, { role: "assistant", text: `Sorry, that failed: ${(error as Error).message}` }];
    } finally {
      busy.value = false;
    }
  };

  const listen = () => {
    if (!Recognition) return;
    if (listening.value) return recognizer.current?.stop();
    const recognition = new Recognition();
    recognition.lang = navigator.language || "en-US";
    recognition.interimResults = false;
    recognition.onresult = (event) => {
      const transcript = Array.from(event.results, (result) => result[0]?.transcript ?? "").join(" ");
      draft.value = `${draft.value} ${transcript}`.trim();
    };
    recognition.onend = () => (listening.value = false);
    recognizer.current = recognition;
    listening.value = true;
    recognition.start();
  };

  return (
    <section
      id="chat-panel"
      class={`chat card${chatOpen.value ? " open" : ""}`}
      aria-labelledby="chat-heading"
      onKeyDown={(e) => e.key === "Escape" && chatOpen.value && (chatOpen.value = false)}
    >
      <div class="chat-head">
        <h2 id="chat-heading">Assistant</h2>
        <button type="button" class="chat-close" onClick={() => (chatOpen.value = false)}>
          Close
        </button>
      </div>
      {/* The log is a focusable scroll region around the list, so keyboards can scroll it and the list keeps its items. */}
      <div class="messages" role="log" aria-live="polite" aria-label="Conversation" tabIndex={0} ref={log}>
      <ol>
        {messages.value.length === 0 && <li class="hint">Try “remind me to call mom tomorrow at 6pm” or “show what's due this week”.</li>}
        {messages.value.map((message) => (
          <li class={`message ${message.role}`}>
            <span class="visually-hidden">{message.role === "user" ? "You:" : "Assistant:"}</span>
            <p class="message-text" dir="auto">
              {message.text}
            </p>
            {message.actions && message.actions.length > 0 && (
              <ul class="actions-taken" aria-label="Actions taken">
                {message.actions.map((action) => (
                  <li class={action.error ? "failed" : undefined}>{describeAction(action)}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      </div>
      <form class="chat-form" onSubmit={send}>
        <label for="chat-input" class="visually-hidden">
          Message to the assistant
        </label>
        <input
          id="chat-input"
          ref={input}
          dir="auto"
          value={draft.value}
          onInput={(e) => (draft.value = e.currentTarget.value)}
          placeholder="Message the assistant"
          autocomplete="off"
          maxLength={4000}
        />
        {Recognition && (
          <button type="button" onClick={listen} aria-pressed={listening.value} title="Voice input">
            {listening.value ? "Stop" : "Speak"}
          </button>
        )}
        <button type="submit" class="primary" disabled={busy.value}>
          Send
        </button>
      </form>
    </section>
  );
}
