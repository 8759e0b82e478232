@allure.label.epic:People @fakes
Feature: Inviting people to the portal
  Nobody joins the portal on their own: an admin invites them by email. A studio admin invites an
  agency's admins and producers; an agency's admin invites the producers and guests of their own
  agency; to anybody else inviting does not exist. The invitation's key works once, for 7 days, and
  the portal keeps only a hash of it. Opening the invitation shows who invited whom to which
  organisation and uses nothing up; accepting it creates the account and signs the person in.

  Rule: A studio admin invites an agency's admins and producers; an agency's admin its own producers and guests; nobody else anybody

    @allure.severity:critical
    Scenario Outline: <inviter> invites Nell to Brightside Agency as <role>
      Given <inviter> is signed in
      When <inviter> invites Nell to Brightside Agency as <role>
      Then Nell receives an invitation to Brightside Agency as <role>, from <inviter>

      Examples:
        | inviter | role       |
        | Ada     | an admin   |
        | Ada     | a producer |
        | Bea     | a producer |
        | Bea     | a guest    |

    @negative
    Scenario Outline: <inviter> may not invite Nell as <role>, and is told which roles they may invite
      Given <inviter> is signed in
      When <inviter> tries to invite Nell to Brightside Agency as <role>
      Then <inviter> is told the role is not one they may invite: "<allowed>"
      And Nell receives no email

      Examples:
        | inviter | role      | allowed                                 |
        | Ada     | a guest   | You may invite: admin, producer.        |
        | Bea     | an admin  | You may invite: producer, guest.        |

    @negative @security
    Scenario Outline: <person> cannot invite anybody to Brightside Agency
      Given <person> is signed in
      When <person> tries to invite Nell to Brightside Agency as a producer
      Then the portal answers <person> as if inviting did not exist
      And Nell receives no email

      Examples:
        | person  |
        | Theo    |
        | Gina    |
        | Sam     |
        | Mallory |
        | Lena    |

    @negative @security
    Scenario: Uma, who is not signed in, cannot invite anybody
      When Uma tries to invite Nell to Brightside Agency as a producer
      Then the portal answers Uma as if inviting did not exist
      And Nell receives no email

  Rule: The invitation's key carries at least 256 bits, is kept only as a hash, and works for 7 days

    @security
    Scenario: Nell's invitation key is long enough and kept only as a hash
      Given Bea has invited Nell to Brightside Agency as a producer
      Then the key in Nell's invitation is at least 256 bits long
      And the portal keeps only a hash of the key in Nell's invitation

    Scenario Outline: An invitation sent <age> ago <outcome>
      Given Bea has invited Nell to Brightside Agency as a producer
      And Nell's invitation was sent <age> ago
      When Nell opens her invitation
      Then <outcome>

      Examples:
        | age                  | outcome                                                      |
        | 6 days 23 hours      | Nell sees that Bea of Brightside Agency invited her to Brightside Agency as a producer |
        | 7 days 1 minute      | Nell is told the invitation cannot be used                    |

  Rule: Opening an invitation uses nothing up; accepting it creates the account, signs the person in, and is audited

    Scenario: Nell sees who invited her, as often as she likes, and can still accept
      Given Bea has invited Nell to Brightside Agency as a producer
      And a mail scanner has opened Nell's invitation
      When Nell opens her invitation
      Then Nell sees that Bea of Brightside Agency invited her to Brightside Agency as a producer
      And Nell can still accept her invitation

    @allure.severity:critical
    Scenario: Accepting creates Nell's account and signs her in
      Given Bea has invited Nell to Brightside Agency as a producer
      When Nell accepts her invitation as "Nell Ward"
      Then Nell is signed in as "Nell Ward", a producer of Brightside Agency
      And the audit log records Nell's first sign-in, through her invitation

    @security
    Scenario: Accepting sets the session cookie as a sign-in link does
      Given Bea has invited Nell to Brightside Agency as a producer
      When Nell accepts her invitation as "Nell Ward"
      Then Nell's session cookie is hidden from page scripts
      And Nell's session cookie is not sent when another site posts to the portal or loads it in the background
      And Nell's browser keeps the session cookie for 12 hours, no longer

    @negative @security
    Scenario Outline: A name holding <character> is refused, naming the field, and the invitation still works
      Given Bea has invited Nell to Brightside Agency as a producer
      When Nell accepts her invitation with a name holding <character>
      Then the portal rejects the request as "validation_failed", in the standard error shape
      And the error names the field "name"
      And Nell can still accept her invitation

      Examples:
        | character                |
        | a right-to-left override |
        | a C1 control character   |
        | a NUL character          |

    @concurrency @negative
    Scenario: Ten acceptances of one invitation at once give one account and one session
      Given Bea has invited Nell to Brightside Agency as a producer
      When Nell's invitation is accepted 10 times at once
      Then exactly one acceptance succeeds and the others are refused
      And Nell has one account and one session

  Rule: A used, expired, withdrawn or never issued invitation gets one and the same refusal

    @negative @security
    Scenario Outline: Nell is refused <invitation> exactly as an invitation that never existed
      Given Nell holds <invitation>
      When Nell tries to use her invitation
      Then she gets the same refusal as for an invitation that never existed, on opening and on accepting

      Examples:
        | invitation                              |
        | an invitation she has already accepted  |
        | an invitation that expired              |
        | an invitation Bea withdrew              |
        | an invitation replaced by a newer one   |
        | an invitation whose key was cut short   |

  Rule: Inviting an address again replaces its earlier invitation; an inviter withdraws and lists their pending invitations

    Scenario: Inviting Nell again replaces her earlier invitation
      Given Bea has invited Nell to Brightside Agency as a producer
      When Bea invites Nell to Brightside Agency as a guest
      Then Nell's earlier invitation cannot be used
      And Bea's pending invitations are: "Nell as a guest"

    Scenario: Bea sees her own pending invitations only
      Given Bea has invited Nell to Brightside Agency as a producer
      And Bea has invited Uma to Brightside Agency as a guest, and Uma has accepted
      And Ada has invited Nell to Lumen Creative as a producer
      When Bea lists her pending invitations
      Then Bea's pending invitations are: "Nell as a producer"

    Scenario: Bea withdraws Nell's invitation
      Given Bea has invited Nell to Brightside Agency as a producer
      When Bea withdraws Nell's invitation
      Then Nell's invitation cannot be used
      And Bea has no pending invitations

    @negative @security
    Scenario: Lena cannot withdraw Bea's invitation
      Given Bea has invited Nell to Brightside Agency as a producer
      And Lena is signed in
      When Lena tries to withdraw Nell's invitation
      Then the portal answers Lena as if the invitation did not exist
      And Nell can still open her invitation

  Rule: Inviting an address that already has an account is answered as for a new one, never makes a second account, and tells the person

    @negative @security
    Scenario: Inviting Theo, who already belongs to Brightside, looks the same to Bea as inviting Nell
      Given Bea is signed in
      When Bea invites Theo and Nell to Brightside Agency as guests
      Then the two answers differ only in the address and the invitation's number
      And Theo is told he already belongs to Brightside Agency
      And Theo still has one account, as a producer of Brightside Agency

    @negative
    Scenario: Mallory, who has an account with Lumen Creative, gets no second account from Ada's invitation
      Given Ada is signed in
      When Ada invites Mallory to Brightside Agency as a producer
      Then Mallory is told she already has an account with Lumen Creative
      And Mallory still has one account, as a producer of Lumen Creative

  Rule: An admin may send 20 invitations an hour

    @negative
    Scenario Outline: With 20 invitations sent, the first <age> ago, Bea's next invitation <outcome>
      Given Bea has sent 20 invitations, the first of them <age> ago
      When Bea tries to invite Nell to Brightside Agency as a producer
      Then <outcome>

      Examples:
        | age        | outcome                                                |
        | 59 minutes | Bea is told to wait at most a minute before inviting again |
        | 61 minutes | Nell receives an invitation to Brightside Agency as a producer, from Bea |

    Scenario: Bea's limit is her own: Ada still invites
      Given Bea has sent 20 invitations, the first of them 1 minute ago
      And Ada is signed in
      When Ada invites Nell to Brightside Agency as a producer
      Then Nell receives an invitation to Brightside Agency as a producer, from Ada

  Rule: An invitation to a suppressed address is refused to the inviter with the reason (the inviter is staff, not a stranger probing addresses)

    @negative
    Scenario: Bea is told that Nell's address gets no email, and why
      Given Nell's address has been suppressed after a hard bounce
      And Bea is signed in
      When Bea tries to invite Nell to Brightside Agency as a producer
      Then Bea is told Nell's address gets no email from the portal, because of a hard bounce
      And Bea has no pending invitations
